//! Child processes of the demo and the e2e run: each in its own process group, so stopping it
//! also stops what it started (wrangler starts workerd), and all stopped on drop or Ctrl-C.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::Result;

#[derive(Default)]
pub struct Procs {
    children: Vec<(String, Child)>,
}

impl Procs {
    pub fn spawn(&mut self, name: &str, cmd: &mut Command) -> Result {
        cmd.process_group(0);
        let child = cmd.spawn().map_err(|e| format!("starting {name}: {e}"))?;
        self.children.push((name.to_string(), child));
        Ok(())
    }

    /// Runs a server on a thread of this process (it ends with the process).
    pub fn spawn_thread(&mut self, name: &str, f: impl FnOnce() -> Result + Send + 'static) {
        let name = name.to_string();
        std::thread::spawn(move || {
            if let Err(e) = f() {
                eprintln!("xtask: {name}: {e}");
            }
        });
    }

    pub fn wait_for_ctrl_c(mut self) -> Result {
        let (tx, rx) = std::sync::mpsc::channel();
        ctrlc::set_handler(move || {
            let _ = tx.send(());
        })
        .map_err(|e| e.to_string())?;
        loop {
            if rx.recv_timeout(Duration::from_millis(500)).is_ok() {
                eprintln!("\nxtask: stopping");
                return Ok(());
            }
            for (name, child) in &mut self.children {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(format!("{name} exited ({status})"));
                }
            }
        }
    }
}

impl Drop for Procs {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            let group = format!("-{}", child.id());
            let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        }
        std::thread::sleep(Duration::from_millis(300));
        for (_, child) in &mut self.children {
            let group = format!("-{}", child.id());
            let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(std::process::Stdio::null()).status();
            let _ = child.wait();
        }
    }
}

/// Waits until `GET path` on `addr` answers with any HTTP status.
pub fn wait_http(addr: &str, path: &str, seconds: u64) -> Result {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < deadline {
        if let Ok(mut s) = TcpStream::connect(addr) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
            let mut buf = [0u8; 12];
            if s.write_all(req.as_bytes()).is_ok() && s.read_exact(&mut buf).is_ok() && buf.starts_with(b"HTTP/1.") {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err(format!("nothing answered on http://{addr}{path} within {seconds} s"))
}
