//! Copied into the client that `tests/openai_stream.rs` generates from OpenAI's description
//! (no overlay): its chat completion streams against a loopback server that streams only when
//! the body says `stream: true`, and `.await` on the same builder still gets JSON.

use futures_util::StreamExt;
use openapi::types;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn chunk(content: &str) -> String {
    let chunk = serde_json::json!({
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "gpt-4o",
        "choices": [{"index": 0, "delta": {"role": "assistant", "content": content}, "finish_reason": null}],
    });
    format!("data: {chunk}\n\n")
}

fn body() -> types::CreateChatCompletionRequest {
    serde_json::from_value(serde_json::json!({
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "Say hello"}],
    }))
    .unwrap()
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    let stream = format!("{}{}data: [DONE]\n\n", chunk("Hel"), chunk("lo"));
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .and(body_partial_json(serde_json::json!({"stream": true})))
        .and(header("accept", "text/event-stream"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(stream.into_bytes(), "text/event-stream"))
        .mount(&server)
        .await;
    let whole = serde_json::json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": "Hello", "refusal": null},
            "finish_reason": "stop",
            "logprobs": null,
        }],
    });
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(whole))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_chat_completion_streams_and_ends_at_done() {
    let server = server().await;
    let client = openapi::Client::builder()
        .base_url(server.uri())
        .bearer_token("sk-test")
        .build()
        .unwrap();
    let mut stream = client.chat().create_completion(body()).stream().into_data();
    let mut text = String::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        chunks += 1;
        for choice in &chunk.choices {
            if let openapi::Nullable::Value(content) = &choice.delta.content {
                text.push_str(content);
            }
        }
    }
    assert_eq!((chunks, text.as_str()), (2, "Hello"));

    let completion = client.chat().create_completion(body()).await.unwrap();
    assert_eq!(completion.choices.len(), 1);
    let received = server.received_requests().await.unwrap();
    let sent: serde_json::Value = received[1].body_json().unwrap();
    assert!(sent.get("stream").is_none(), "{sent}");
}
