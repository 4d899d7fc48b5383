//! Console output of the command line. A reader that goes away (`sluice
//! explain | head -1`) closes the pipe: output then stops quietly, the
//! command finishes and exits with its usual code, and nothing panics.
//! `println!` would panic on the closed pipe instead.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Write `text` to standard output, unless its reader has gone.
pub fn out(text: &str) {
    write(&mut io::stdout().lock(), &STDOUT_CLOSED, text);
}

/// Let `write` write to standard output (buffered), unless its reader has
/// gone; a write that fails marks it gone, as [`out`] does. The buffer is a
/// concrete type, so a writer generic over it is called without `dyn`.
pub fn out_with(write: impl FnOnce(&mut io::BufWriter<io::StdoutLock<'static>>) -> io::Result<()>) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut w = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    if write(&mut w).and_then(|()| w.flush()).is_err() {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
    }
}

/// Write `text` to standard error, unless its reader has gone.
pub fn err(text: &str) {
    write(&mut io::stderr().lock(), &STDERR_CLOSED, text);
}

fn write(w: &mut dyn Write, closed: &AtomicBool, text: &str) {
    if closed.load(Ordering::Relaxed) {
        return;
    }
    if w.write_all(text.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        // A closed pipe, a full disk: either way there is nobody left to
        // tell, and the exit code still says how the command went.
        closed.store(true, Ordering::Relaxed);
    }
}

/// `println!` that stops quietly when standard output is closed.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::console::out(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` that stops quietly when standard error is closed.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::console::err(&format!("{}\n", format_args!($($arg)*)))
    };
}
