//! indicatif progress bars on stderr for the library's [`Progress`] hooks; hidden with
//! `--quiet` or when stderr is not a terminal.

use std::io::IsTerminal;
use std::sync::Mutex;

use dgraph_datasets::progress::{Progress, Unit};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// One bar per stage, replaced when the next stage starts.
pub struct Bars {
    enabled: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl Bars {
    pub fn new(quiet: bool) -> Bars {
        Bars { enabled: !quiet && std::io::stderr().is_terminal(), bar: Mutex::new(None) }
    }

    fn with(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        if let Ok(mut bar) = self.bar.lock() {
            f(&mut bar);
        }
    }
}

impl Progress for Bars {
    fn start(&self, stage: &str, total: Option<u64>, unit: Unit) {
        if !self.enabled {
            return;
        }
        let bar = match total {
            Some(t) => ProgressBar::new(t),
            None => ProgressBar::new_spinner(),
        };
        bar.set_draw_target(ProgressDrawTarget::stderr());
        let template = match (unit, total) {
            (Unit::Bytes, Some(_)) => "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            (Unit::Edges, Some(_)) => "{msg} [{bar:30}] {human_pos}/{human_len} edges {per_sec}",
            _ => "{spinner} {msg} {elapsed}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(stage.to_string());
        if total.is_none() {
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
        }
        self.with(|slot| {
            if let Some(old) = slot.replace(bar) {
                old.finish_and_clear();
            }
        });
    }

    fn advance(&self, amount: u64) {
        if self.enabled {
            self.with(|slot| {
                if let Some(bar) = slot {
                    bar.inc(amount);
                }
            });
        }
    }

    fn finish(&self) {
        if self.enabled {
            self.with(|slot| {
                if let Some(bar) = slot.take() {
                    bar.finish_and_clear();
                }
            });
        }
    }
}
