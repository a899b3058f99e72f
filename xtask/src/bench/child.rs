//! One command run as a child process, timed from start to exit, with the peak memory of its
//! process tree: `ru_maxrss` as `wait4` reports it for the child, which Linux makes the largest
//! resident set of the child and of every descendant it waited for (for `cargo check`, rustc's;
//! for openapi-generator's Python launcher, the Java process it starts). Not a sum: the largest one.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How one run of a command went.
#[derive(Clone, Copy, Debug)]
pub struct Run {
    /// From spawning to reaping.
    pub wall: Duration,
    /// The largest resident set in the process tree, in bytes.
    pub peak_bytes: u64,
    /// User and system time of the process tree: what the run cost, less swayed than `wall` by
    /// other work on the machine (which makes the run wait, not work).
    pub cpu: Duration,
}

/// Runs `command` (its output into `log`, which keeps it for a failure's message) and measures it.
pub fn run(command: Command, log: &Path) -> Result<Run, String> {
    let (run, failure) = run_to_the_end(command, log)?;
    match failure {
        None => Ok(run),
        Some(failure) => Err(failure),
    }
}

/// [`run`], measuring a run that fails too: the measures, and what the failure said (`None` when
/// it succeeded). A crate that does not compile still costs its check.
pub fn run_to_the_end(mut command: Command, log: &Path) -> Result<(Run, Option<String>), String> {
    if let Some(folder) = log.parent() {
        std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    }
    let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = file
        .try_clone()
        .map_err(|e| format!("{}: {e}", log.display()))?;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::from(file))
        .stderr(Stdio::from(err));
    let started = Instant::now();
    let child = command
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    let (status, peak_bytes, cpu) = reap(child.id())?;
    let wall = started.elapsed();
    let run = Run {
        wall,
        peak_bytes,
        cpu,
    };
    if status != 0 {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(15).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        let failure = format!(
            "{:?} failed (exit status {status}; output in {}):\n{}",
            command.get_program(),
            log.display(),
            tail.join("\n")
        );
        return Ok((run, Some(failure)));
    }
    Ok((run, None))
}

/// Waits for the child `pid` with `wait4`, which `std` does not offer: its exit status (non-zero
/// also for a signal), `ru_maxrss` in bytes, and user plus system time.
#[cfg(target_os = "linux")]
fn reap(pid: u32) -> Result<(i32, u64, Duration), String> {
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain data that `wait4` fills in; zeroed is a valid value of it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid for writes for the duration of the call, and
        // `pid` is a child of this process that nothing else waits for (its `Child` is dropped
        // without waiting).
        let reaped = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
        if reaped == pid as libc::pid_t {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("waiting for process {pid}: {error}"));
        }
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    let cpu = time(usage.ru_utime) + time(usage.ru_stime);
    // Linux reports ru_maxrss in kilobytes.
    Ok((code, usage.ru_maxrss.max(0) as u64 * 1024, cpu))
}

#[cfg(not(target_os = "linux"))]
fn reap(pid: u32) -> Result<(i32, u64, Duration), String> {
    Err(format!(
        "measuring process {pid}: peak memory is only measured on Linux"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_is_timed_and_its_memory_measured() {
        let log = std::env::temp_dir().join(format!("xtask-child-{}.log", std::process::id()));
        let mut command = Command::new("sh");
        command.args(["-c", "echo hello"]);
        let run = run(command, &log).expect("sh runs");
        assert!(run.peak_bytes > 0);
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "hello\n");
        let mut failing = Command::new("sh");
        failing.args(["-c", "echo broken >&2; exit 3"]);
        let error = super::run(failing, &log).unwrap_err();
        assert!(
            error.contains("exit status 3") && error.contains("broken"),
            "{error}"
        );
        let _ = std::fs::remove_file(log);
    }
}
