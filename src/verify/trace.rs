//! Running a deploy's files on the server and watching what each
//! statement does.
//!
//! Input: a connection (as the superuser, as a migrator connects) and the
//! text of one journal entry or out-of-transaction script. Output: for a
//! journal entry, run in one transaction as drizzle-orm runs it, one
//! [`Observed`] per statement: the relation locks it added to the
//! transaction (read from `pg_locks` for the own backend right after the
//! statement; a transaction keeps its locks until it ends, so each is held
//! from that statement to the commit), how long, the pre-existing tables
//! and indexes whose `relfilenode` it changed (a rewrite), and the rows it
//! read by sequential scan from each pre-existing table
//! (`pg_stat_xact_user_tables`, which counts this transaction's own scans).
//! An entry that meets no relation (an initial migration) is run without
//! these observations: nothing it does can block or rewrite existing rows.
//! A script runs statement by statement outside any transaction block, as
//! `psql -f` runs it; its statements are timed but hold no transaction's
//! locks.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use postgres::Client;

use super::sql;
use crate::render::BREAKPOINT;

/// One relation as the catalog has it.
#[derive(Debug, Clone)]
pub struct Relation {
    pub name: String,
    pub kind: String,
    pub filenode: i64,
    pub valid: bool,
    /// The table of an index.
    pub table: i64,
}

/// Every user relation by oid.
pub type Relations = BTreeMap<i64, Relation>;

pub fn relations(client: &mut Client) -> Result<Relations, postgres::Error> {
    Ok(client
        .query(&sql::fixed("relations"), &[])?
        .iter()
        .map(|r| {
            (
                r.get::<_, i64>(0),
                Relation {
                    name: format!("{}.{}", r.get::<_, String>(1), r.get::<_, String>(2)),
                    kind: r.get(3),
                    filenode: r.get(4),
                    valid: r.get(5),
                    table: r.get(6),
                },
            )
        })
        .collect())
}

/// What one statement of a journal entry did.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    /// The chunk as drizzle sends it (its header comment included).
    pub text: String,
    /// Byte offset of the chunk in its file.
    pub offset: usize,
    pub took: Duration,
    /// Locks this statement added: (relation oid, mode).
    pub locks: Vec<(i64, String)>,
    /// From the start of the statement to the end of the commit.
    pub held: Duration,
    /// Pre-existing relations whose file it replaced.
    pub rewrote: Vec<i64>,
    /// Rows it read by sequential scan, per pre-existing table.
    pub scanned: Vec<(i64, i64)>,
}

/// A statement the server refused.
#[derive(Debug)]
pub struct Failed {
    pub offset: usize,
    pub text: String,
    pub error: String,
}

/// The statements of a drizzle journal file, with their byte offsets.
pub fn chunks(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for part in text.split(BREAKPOINT) {
        let start = at + (part.len() - part.trim_start().len());
        at += part.len() + BREAKPOINT.len();
        let chunk = part.trim();
        if !chunk.is_empty() {
            out.push((start, chunk));
        }
    }
    out
}

/// Run a journal entry in one transaction, watching every statement.
pub fn entry(client: &mut Client, text: &str, before: &Relations) -> Result<Vec<Observed>, Failed> {
    let failed = |offset: usize, text: &str, e: postgres::Error| Failed {
        offset,
        text: text.to_string(),
        error: describe(&e),
    };
    let mut tx = client.transaction().map_err(|e| failed(0, "BEGIN", e))?;
    let mut seen: BTreeSet<(i64, String)> = BTreeSet::new();
    let mut rewritten: BTreeSet<i64> = BTreeSet::new();
    let mut scans = scan_counts(&mut tx).map_err(|e| failed(0, "observe", e))?;
    let mut out = Vec::new();
    let mut started = Vec::new();
    for (offset, chunk) in chunks(text) {
        let start = Instant::now();
        tx.batch_execute(chunk)
            .map_err(|e| failed(offset, chunk, e))?;
        let took = start.elapsed();
        let observe = |e| failed(offset, chunk, e);
        let mut obs = Observed {
            text: chunk.to_string(),
            offset,
            took,
            ..Observed::default()
        };
        started.push(start);
        // Nothing existed before the entry (an initial migration): no lock
        // blocks anyone, nothing is rewritten or scanned with rows.
        if before.is_empty() {
            out.push(obs);
            continue;
        }
        for row in tx.query(&sql::fixed("locks"), &[]).map_err(observe)? {
            let key = (row.get::<_, i64>(0), row.get::<_, String>(1));
            if seen.insert(key.clone()) {
                obs.locks.push(key);
            }
        }
        let now: Relations = {
            let rows = tx.query(&sql::fixed("relations"), &[]).map_err(observe)?;
            rows.iter()
                .map(|r| {
                    (
                        r.get::<_, i64>(0),
                        Relation {
                            name: String::new(),
                            kind: r.get(3),
                            filenode: r.get(4),
                            valid: r.get(5),
                            table: r.get(6),
                        },
                    )
                })
                .collect()
        };
        for (oid, old) in before {
            if let Some(new) = now.get(oid) {
                if new.filenode != old.filenode && rewritten.insert(*oid) {
                    obs.rewrote.push(*oid);
                }
            }
        }
        let counts = scan_counts(&mut tx).map_err(observe)?;
        for (oid, n) in &counts {
            let was = scans.get(oid).copied().unwrap_or(0);
            if *n > was && before.contains_key(oid) {
                obs.scanned.push((*oid, n - was));
            }
        }
        scans = counts;
        out.push(obs);
    }
    tx.commit().map_err(|e| failed(text.len(), "COMMIT", e))?;
    let end = Instant::now();
    for (obs, start) in out.iter_mut().zip(started) {
        obs.held = end - start;
    }
    Ok(out)
}

fn scan_counts(tx: &mut postgres::Transaction) -> Result<BTreeMap<i64, i64>, postgres::Error> {
    Ok(tx
        .query(&sql::fixed("scans"), &[])?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
}

/// Run a script statement by statement on a session of its own, outside a
/// transaction block (unless the script opens one), as `psql -f` does: its
/// `SET`s end with it.
pub fn script(config: &postgres::Config, text: &str) -> Result<(), Failed> {
    let mut client = config.connect(postgres::NoTls).map_err(|e| Failed {
        offset: 0,
        text: String::new(),
        error: describe(&e),
    })?;
    let split = crate::lint::split::split(text);
    if let Some(e) = split.error {
        return Err(Failed {
            offset: e.offset,
            text: String::new(),
            error: e.message,
        });
    }
    for chunk in split.chunks {
        let stmt = &text[chunk.range.clone()];
        if let Err(e) = client.batch_execute(stmt) {
            let _ = client.batch_execute(&sql::fixed("abort"));
            return Err(Failed {
                offset: chunk.range.start,
                text: stmt.to_string(),
                error: describe(&e),
            });
        }
    }
    Ok(())
}

pub fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => {
            let mut s = format!("{} ({})", d.message(), d.code().code());
            if let Some(detail) = d.detail() {
                s.push_str(&format!(": {detail}"));
            }
            s
        }
        None => e.to_string(),
    }
}
