//! How many threads generation renders on: a setting of the run, not of the output, which is the
//! same to the byte whatever it is.

use super::Config;

impl Config {
    /// Renders the generated files on at most `threads` threads (the thread that calls
    /// [`crate::generate`] among them); `0`, the default, means as many as the machine runs at once
    /// ([`std::thread::available_parallelism`]). The output does not depend on it, so it is not a
    /// flag of the option table nor part of [`Config::to_args`]: `cargo xtask generate` takes it as
    /// `--threads N` of its own, and the `APIGEN_THREADS` environment variable when that is absent.
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").threads(1);
    /// assert_eq!(config.thread_count(), 1);
    /// assert!(apigen::Config::new("api.yaml").thread_count() >= 1);
    /// assert_eq!(config.to_args(), apigen::Config::new("api.yaml").to_args());
    /// ```
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// The number of threads generation renders on: [`Config::threads`], or where that is `0`, the
    /// machine's available parallelism (one where it cannot be known).
    pub fn thread_count(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        }
    }
}
