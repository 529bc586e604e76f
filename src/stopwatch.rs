//! Stage times on stderr when `MSP_SITE_TIMINGS` is set (`site` and the
//! stages it drives use it).

use std::time::Instant;

/// Stage times on stderr when `MSP_SITE_TIMINGS` is set: for benchmarks and
/// profiling, never part of normal output.
pub(crate) struct Stopwatch {
    started: Option<Instant>,
}

impl Stopwatch {
    pub(crate) fn start() -> Stopwatch {
        Stopwatch {
            started: std::env::var_os("MSP_SITE_TIMINGS").map(|_| Instant::now()),
        }
    }

    /// Prints how long since the start, and starts again.
    pub(crate) fn lap(&mut self, stage: &str) {
        if let Some(started) = self.started.as_mut() {
            eprintln!("[timing] {stage}: {} ms", started.elapsed().as_millis());
            *started = Instant::now();
        }
    }

    /// Runs `work`, then prints its time under `stage`.
    pub(crate) fn time<T>(stage: &str, work: impl FnOnce() -> T) -> T {
        let mut watch = Stopwatch::start();
        let result = work();
        watch.lap(stage);
        result
    }
}
