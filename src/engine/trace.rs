//! Task events: every task the engine runs records what it did and when; `--trace FILE` writes
//! them as Chrome trace-event JSON (opens in Perfetto or chrome://tracing).

use std::io::Write;
use std::time::Instant;

/// One executed task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskEvent {
    /// What the task did: `pull`, `push`, `exchange`, `apply`, `aggregate`.
    pub name: &'static str,
    /// Superstep number.
    pub superstep: u32,
    /// Partition (0 for whole-graph phases).
    pub partition: u32,
    /// The rayon worker that ran it.
    pub thread: usize,
    /// Start, microseconds since the run began.
    pub start_us: f64,
    /// Duration in microseconds.
    pub duration_us: f64,
    /// Vertices processed.
    pub vertices: u64,
    /// Messages produced.
    pub messages: u64,
}

/// Times a task and builds its event.
pub(crate) struct Timer {
    origin: Instant,
    start: Instant,
}

impl Timer {
    pub(crate) fn start(origin: Instant) -> Timer {
        Timer { origin, start: Instant::now() }
    }

    pub(crate) fn finish(
        self,
        name: &'static str,
        superstep: u32,
        partition: u32,
        vertices: u64,
        messages: u64,
    ) -> TaskEvent {
        TaskEvent {
            name,
            superstep,
            partition,
            thread: rayon::current_thread_index().unwrap_or(0),
            start_us: (self.start - self.origin).as_secs_f64() * 1e6,
            duration_us: self.start.elapsed().as_secs_f64() * 1e6,
            vertices,
            messages,
        }
    }
}

/// Writes `events` as Chrome trace-event JSON (complete events, one track per worker thread).
pub fn write_chrome_trace(events: &[TaskEvent], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{{\"displayTimeUnit\":\"ms\",\"traceEvents\":[")?;
    for (i, e) in events.iter().enumerate() {
        let comma = if i + 1 == events.len() { "" } else { "," };
        writeln!(
            out,
            "{{\"name\":\"{} p{}\",\"cat\":\"{}\",\"ph\":\"X\",\"pid\":0,\"tid\":{},\"ts\":{:.3},\"dur\":{:.3},\"args\":{{\"superstep\":{},\"partition\":{},\"vertices\":{},\"messages\":{}}}}}{comma}",
            e.name, e.partition, e.name, e.thread, e.start_us, e.duration_us, e.superstep, e.partition, e.vertices, e.messages
        )?;
    }
    writeln!(out, "]}}")
}
