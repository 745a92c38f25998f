//! Progress bars on standard error for long work; silent when standard error is not a terminal.

use indicatif::{ProgressBar, ProgressStyle};

/// Shows the demo generator's stages as progress bars.
pub struct Bars {
    bar: Option<ProgressBar>,
}

impl Bars {
    pub fn new() -> Self {
        Self { bar: None }
    }

    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl homeward_demo::Progress for Bars {
    fn stage(&mut self, name: &'static str, total: u64) {
        self.finish();
        let bar = ProgressBar::new(total);
        if let Ok(style) = ProgressStyle::with_template("{msg:>14} [{bar:30}] {pos}/{len}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(name);
        self.bar = Some(bar);
    }

    fn advance(&mut self, steps: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(steps);
        }
    }
}
