//! Spans: byte ranges inside one loaded source file.
//!
//! Input: byte offsets produced by the parser. Output: `Span` values that
//! every AST node, IR entity and diagnostic carries, convertible to 1-based
//! line/column through [`crate::source::Sources`].

/// Index of a file in [`crate::source::Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A half-open byte range `start..end` in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

/// The offsets only: the file number of a span changes when a file is
/// added before its own, which changes no output, so the keys of journal
/// entries (`emit/entry_key.rs`) leave it out. Spans equal as values still
/// hash alike.
impl std::hash::Hash for Span {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.start.hash(state);
        self.end.hash(state);
    }
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// A sub-range, given as offsets relative to this span's start.
    pub fn sub(&self, from: usize, to: usize) -> Span {
        let start = (self.start as usize + from).min(self.end as usize);
        let end = (self.start as usize + to).clamp(start, self.end as usize);
        Span::new(self.file, start, end)
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(&self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}
