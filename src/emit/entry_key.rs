//! The key of a journal entry: a digest of everything its files depend on,
//! so that a build may keep an entry an earlier build wrote when its key is
//! the same (see [`super::reuse`]).
//!
//! Input: the workspace, a project and its journal tags. Output: per phase
//! of the project, a SHA-256 key.
//!
//! What a phase's files read, found by reading the planner: this build of
//! sluice (the templates and the code); the workspace settings and roles;
//! every project's name and schema and the tables other projects publish
//! to this one (`plan/schema/received.rs`, `plan/recipe/receive.rs`); the
//! project's name, database and schema (headers and preamble); the states
//! before and after the phase; its migration, kind, position and tag; and,
//! through the script guards and the compat views, every phase before it.
//! The keys are chained, each holding the one before, so the last of these
//! is covered; baselines take part in the chain though they have no file.
//!
//! Values are fed in through their derived `Hash`, which every IR and AST
//! type derives, so a field added later is covered without a change here;
//! the hasher writes every number little-endian and at a fixed width, so a
//! key is the same on every machine. The file number inside a span is left
//! out (see [`crate::span::Span`]'s `Hash`): adding a file renumbers the
//! files after it, which changes no output. A state's tables, views and
//! functions are shared with the states around it (`Arc`), so each is
//! digested once, and a state that keeps the table list of the one before
//! is digested from that one's digest and the tables it changed.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use foldhash::fast::FixedState;

use sha2::{Digest, Sha256};

use crate::ir::{Migration, Project, Table, Workspace};

/// A key: SHA-256 of what an entry's files depend on.
pub type Key = [u8; 32];

/// The key of every phase of `p`, in phase order; `tags[i]` is phase `i`'s
/// journal tag (`None` for a baseline).
pub fn keys(ws: &Workspace, p: &Project, tags: &[Option<String>]) -> Vec<Key> {
    let mut d = Digests::default();
    let mut chain = context(ws, p);
    let mut before: Option<Key> = None;
    p.phases
        .iter()
        .zip(tags)
        .map(|(ph, tag)| {
            let after = d.state(&ph.state);
            let mut h = Hashed::new("entry");
            h.bytes(&chain);
            h.feed(&(tag, ph.kind, ph.migration));
            migration(&mut h, &p.migrations[ph.migration]);
            h.bytes(before.as_ref().map_or(&[][..], |k| &k[..]));
            h.bytes(&after);
            before = Some(after);
            chain = h.finish();
            chain
        })
        .collect()
}

/// A migration but its place among the workspace's files, which only
/// orders the history (the order is in the tags) and changes for every
/// migration when a file is added before its own.
fn migration(h: &mut Hashed, m: &Migration) {
    let Migration {
        name,
        span,
        baseline,
        file_order: _,
        after,
        releases,
        expand,
        backfills,
        contract,
    } = m;
    h.feed(&(name, span, baseline, after, releases));
    h.feed(&(expand, backfills, contract));
}

/// What every entry of `p` reads besides its phase: the build, the
/// workspace's settings and roles, the projects' names and schemas, the
/// tables published to `p`, and `p`'s header fields.
fn context(ws: &Workspace, p: &Project) -> Key {
    let mut h = Hashed::new("context");
    h.feed(&crate::drizzle::fingerprint::BUILD);
    h.feed(&ws.settings);
    h.feed(&ws.roles);
    for q in &ws.projects {
        h.feed(&(&q.name, &q.schema));
    }
    for r in crate::ir::feed::received_by(&ws.projects, &p.name) {
        h.feed(&(&r.source.name, &r.source.schema, &r.source.enums));
        h.feed(r.table);
        h.feed(r.publish);
    }
    h.feed(&(&p.name, &p.database, &p.schema));
    h.finish()
}

/// Digests of states, each shared table, view list and function list
/// digested once. Maps keyed by address hash with a fixed-seed fast
/// hasher: they are looked up, never iterated.
#[derive(Default)]
struct Digests<'p> {
    tables: HashMap<*const Table, Key, FixedState>,
    objects: HashMap<*const (), Key, FixedState>,
    /// The tables of the state digested last, and their digest.
    last: Option<(&'p [Arc<Table>], Key)>,
}

impl<'p> Digests<'p> {
    /// The digest of a state's tables. A state that keeps the table list
    /// of the one before (most of a history's) is digested as that one's
    /// digest and the tables it holds anew, by place: a state's cost is
    /// what it changed, not what it holds. Equal digests still mean equal
    /// lists, by induction along the history, and the same history gives
    /// the same digests on every build.
    fn tables(&mut self, tables: &'p [Arc<Table>]) -> Key {
        let mut table = |t: &Arc<Table>| {
            *self
                .tables
                .entry(Arc::as_ptr(t))
                .or_insert_with(|| Hashed::of("table", &**t))
        };
        let key = match self.last {
            Some((last, key)) if last.len() == tables.len() => {
                let mut h = Hashed::new("tables after");
                h.bytes(&key);
                for (i, (old, t)) in last.iter().zip(tables).enumerate() {
                    if !Arc::ptr_eq(old, t) {
                        h.feed(&i);
                        h.bytes(&table(t));
                    }
                }
                h.finish()
            }
            _ => {
                let mut h = Hashed::new("tables");
                h.feed(&tables.len());
                for t in tables {
                    h.bytes(&table(t));
                }
                h.finish()
            }
        };
        self.last = Some((tables, key));
        key
    }

    fn state(&mut self, s: &'p Project) -> Key {
        // Every field, so that a new one fails to compile until handled.
        let Project {
            name,
            span,
            database,
            schema,
            postgres,
            out,
            schema_ts,
            app,
            app_roles,
            audit_trail,
            conventions,
            tenancy,
            lint,
            extensions,
            enums,
            tables,
            views,
            functions,
            migrations,
            replayed,
            replayed_enums,
            replayed_objects,
            replayed_access,
            phases,
        } = s;
        let mut h = Hashed::new("state");
        h.feed(&(name, span, database, schema, postgres, out, schema_ts, app));
        h.feed(&(app_roles, audit_trail, conventions, tenancy, lint));
        h.feed(&(extensions, enums, replayed, replayed_enums));
        h.feed(&(replayed_objects, replayed_access));
        // A state holds no history of its own; should one ever, it counts.
        h.feed(&(migrations, phases.len()));
        let tables_key = self.tables(tables);
        h.bytes(&tables_key);
        let views_key = *self
            .objects
            .entry(Arc::as_ptr(views).cast())
            .or_insert_with(|| Hashed::of("views", &**views));
        let functions_key = *self
            .objects
            .entry(Arc::as_ptr(functions).cast())
            .or_insert_with(|| Hashed::of("functions", &**functions));
        h.bytes(&views_key);
        h.bytes(&functions_key);
        h.finish()
    }
}

/// A SHA-256 fed with values' derived `Hash`.
struct Hashed(Fed);

impl Hashed {
    fn new(what: &str) -> Hashed {
        let mut h = Hashed(Fed::default());
        h.bytes(what.as_bytes());
        h
    }

    fn of(what: &str, value: &impl Hash) -> Key {
        let mut h = Hashed::new(what);
        h.feed(value);
        h.finish()
    }

    /// Length-prefixed, so two sequences of parts never hash alike.
    fn bytes(&mut self, b: &[u8]) {
        self.0.put(&(b.len() as u64).to_le_bytes());
        self.0.put(b);
    }

    /// `value` as its `Hash` writes it (length-prefixed sequences, strings
    /// ended by 0xFF, enum variants numbered), then a separator.
    fn feed(&mut self, value: &impl Hash) {
        value.hash(&mut self.0);
        self.0.put(&[0xFE]);
    }

    fn finish(mut self) -> Key {
        self.0.flush();
        self.0.sha.finalize().into()
    }
}

/// A `Hasher` that gathers what `Hash` writes, a few KiB at a time, into a
/// SHA-256; numbers as little-endian bytes of a fixed width (`usize` and
/// `isize` as 64 bits), whatever the machine.
#[derive(Default)]
struct Fed {
    sha: Sha256,
    buf: Vec<u8>,
}

impl Fed {
    fn put(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
        if self.buf.len() >= 1 << 14 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        self.sha.update(&self.buf);
        self.buf.clear();
    }
}

impl Hasher for Fed {
    fn finish(&self) -> u64 {
        // Never asked: keys are read from the SHA-256.
        0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.put(bytes);
    }
    fn write_u8(&mut self, i: u8) {
        self.put(&[i]);
    }
    fn write_u16(&mut self, i: u16) {
        self.put(&i.to_le_bytes());
    }
    fn write_u32(&mut self, i: u32) {
        self.put(&i.to_le_bytes());
    }
    fn write_u64(&mut self, i: u64) {
        self.put(&i.to_le_bytes());
    }
    fn write_u128(&mut self, i: u128) {
        self.put(&i.to_le_bytes());
    }
    fn write_usize(&mut self, i: usize) {
        self.put(&(i as u64).to_le_bytes());
    }
    fn write_i8(&mut self, i: i8) {
        self.put(&i.to_le_bytes());
    }
    fn write_i16(&mut self, i: i16) {
        self.put(&i.to_le_bytes());
    }
    fn write_i32(&mut self, i: i32) {
        self.put(&i.to_le_bytes());
    }
    fn write_i64(&mut self, i: i64) {
        self.put(&i.to_le_bytes());
    }
    fn write_i128(&mut self, i: i128) {
        self.put(&i.to_le_bytes());
    }
    fn write_isize(&mut self, i: isize) {
        self.put(&(i as i64).to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::{FileId, Span};

    #[test]
    fn the_file_of_a_span_is_left_out_and_its_offsets_are_not() {
        let a = Hashed::of("t", &(Span::new(FileId(3), 10, 20), "x"));
        let b = Hashed::of("t", &(Span::new(FileId(9), 10, 20), "x"));
        let c = Hashed::of("t", &(Span::new(FileId(3), 11, 20), "x"));
        let d = Hashed::of("t", &(Span::new(FileId(3), 10, 20), "y"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn numbers_are_fed_at_a_fixed_width_whatever_the_machine() {
        assert_eq!(Hashed::of("n", &7usize), Hashed::of("n", &7u64));
        assert_eq!(Hashed::of("n", &-7isize), Hashed::of("n", &-7i64));
        assert_ne!(Hashed::of("n", &7u32), Hashed::of("n", &7u64));
    }

    #[test]
    fn the_parts_of_a_digest_cannot_run_into_each_other() {
        let mut a = Hashed::new("t");
        a.bytes(b"ab");
        a.bytes(b"c");
        let mut b = Hashed::new("t");
        b.bytes(b"a");
        b.bytes(b"bc");
        assert_ne!(a.finish(), b.finish());
    }
}
