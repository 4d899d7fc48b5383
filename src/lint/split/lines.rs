//! Where tokens stand: sqlparser's line/column locations as byte offsets.
//!
//! Input: a file's text (or a piece of it) and locations. Output: a
//! [`LineIndex`] (location → byte offset), carried between threads
//! without its text as [`Lines`]; a forward [`Cursor`] for a tokenizer's
//! locations, which come in text order; and the tokens with the spans
//! sqlparser's parser takes ([`spanned`], [`lend`]), which each token
//! kept from the tokenizer.

use sqlparser::tokenizer::{Location, Token, TokenWithSpan};

use super::Tok;

/// Byte offsets of line starts, to turn sqlparser's 1-based line and
/// character column into byte offsets.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Columns are bytes when the whole text is ASCII (the common case).
    ascii: bool,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text,
            starts,
            ascii: text.is_ascii(),
        }
    }

    /// Byte offset of a location; `None` for the empty location (0, 0).
    pub fn offset(&self, loc: Location) -> Option<usize> {
        if loc.line == 0 {
            return None;
        }
        let start = *self.starts.get(loc.line as usize - 1)?;
        let col = loc.column.saturating_sub(1) as usize;
        if self.ascii {
            return Some((start + col).min(self.text.len()));
        }
        let line = &self.text[start..];
        let byte = line
            .char_indices()
            .nth(col)
            .map(|(i, _)| i)
            .unwrap_or(line.len());
        Some(start + byte)
    }

    /// The index without its text, to carry to the thread that judges the
    /// file, so a file's lines are counted once.
    pub fn detach(self) -> Lines {
        Lines {
            starts: self.starts,
            ascii: self.ascii,
        }
    }
}

/// A [`LineIndex`] without its text.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
    ascii: bool,
}

impl Lines {
    /// Byte offsets of the line starts, the first 0.
    pub fn into_starts(self) -> Vec<usize> {
        self.starts
    }

    /// The index again, on the text it was made from.
    pub fn attach(self, text: &str) -> LineIndex<'_> {
        LineIndex {
            text,
            starts: self.starts,
            ascii: self.ascii,
        }
    }
}

/// [`LineIndex::offset`] for locations that come in text order (a
/// tokenizer's), without an index: each line is scanned once.
pub(super) struct Cursor<'p> {
    text: &'p str,
    ascii: bool,
    /// The line reached (1-based) and the byte it starts at.
    line: u64,
    start: usize,
    /// In a text that is not ASCII: a column of that line and its byte.
    column: u64,
    byte: usize,
}

impl<'p> Cursor<'p> {
    pub(super) fn new(text: &'p str) -> Cursor<'p> {
        Cursor {
            text,
            ascii: text.is_ascii(),
            line: 1,
            start: 0,
            column: 1,
            byte: 0,
        }
    }

    /// The byte offset of `loc`, as [`LineIndex::offset`] gives it.
    pub(super) fn offset(&mut self, loc: Location) -> Option<usize> {
        if loc.line == 0 {
            return None;
        }
        if loc.line < self.line {
            *self = Cursor::new(self.text);
        }
        while self.line < loc.line {
            let next = self.text[self.start..].find('\n')?;
            self.start += next + 1;
            self.line += 1;
            self.column = 1;
            self.byte = self.start;
        }
        let col = loc.column.max(1);
        if self.ascii {
            return Some((self.start + col as usize - 1).min(self.text.len()));
        }
        if col < self.column {
            self.column = 1;
            self.byte = self.start;
        }
        let rest = &self.text[self.byte..];
        let skip = (col - self.column) as usize;
        let byte = rest
            .char_indices()
            .nth(skip)
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        self.column = col;
        self.byte += byte;
        Some(self.byte)
    }
}

/// The tokens with their locations, as sqlparser's parser takes them.
pub fn spanned(tokens: &[Tok]) -> Vec<TokenWithSpan> {
    tokens
        .iter()
        .map(|t| TokenWithSpan::new(t.token.clone(), t.span()))
        .collect()
}

/// [`spanned`], moving the tokens out instead of copying them: each is
/// left [`Token::EOF`] until [`give_back`] returns it.
pub fn lend(tokens: &mut [Tok]) -> Vec<TokenWithSpan> {
    tokens
        .iter_mut()
        .map(|t| TokenWithSpan::new(std::mem::replace(&mut t.token, Token::EOF), t.span()))
        .collect()
}

/// Put back the tokens [`lend`] took (the parser hands them back unchanged).
pub fn give_back(tokens: &mut [Tok], lent: Vec<TokenWithSpan>) {
    for (t, l) in tokens.iter_mut().zip(lent) {
        t.token = l.token;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forward_cursor_finds_what_the_line_index_finds() {
        for text in ["ab\ncd\n\nefg", "é\nab ü\n\nxyzé"] {
            let lines = LineIndex::new(text);
            let mut cursor = Cursor::new(text);
            for line in 0..6 {
                for column in 0..7 {
                    let loc = Location::new(line, column);
                    assert_eq!(cursor.offset(loc), lines.offset(loc), "{text:?} {loc:?}");
                }
            }
            let mut cursor = Cursor::new(text);
            let loc = Location::new(2, 3);
            assert_eq!(cursor.offset(loc), lines.offset(loc));
            let back = Location::new(1, 2);
            assert_eq!(cursor.offset(back), lines.offset(back));
        }
    }

    #[test]
    fn offsets_count_characters_per_line() {
        let text = "é\nab";
        let lines = LineIndex::new(text);
        assert_eq!(lines.offset(Location::new(2, 2)), Some(4));
        assert_eq!(lines.offset(Location::new(1, 2)), Some(2));
    }
}
