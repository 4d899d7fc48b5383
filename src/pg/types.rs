//! Column types as the rules compare them: sqlparser's `DataType` printed,
//! lower-cased and with spaces collapsed (`character varying(20)`).

use sqlparser::ast::DataType;

/// The normalized text of a type.
pub fn type_text(dt: &DataType) -> String {
    let mut s = dt.to_string();
    if !s.is_ascii() {
        let s = s.to_lowercase();
        return s.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    // Most type texts are ASCII with single spaces: lowered in place, not
    // copied twice more.
    s.make_ascii_lowercase();
    let b = s.as_bytes();
    let other_space = |c: &u8| c.is_ascii_whitespace() && *c != b' ' || *c == 0x0b;
    let spaced = b.first() == Some(&b' ')
        || b.last() == Some(&b' ')
        || b.iter().any(other_space)
        || b.windows(2).any(|w| w == b"  ");
    if !spaced {
        return s;
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The base name (before `(` or `[`) and the parameters of a type text.
fn parts(t: &str) -> (&str, Vec<u32>) {
    let base_end = t.find(['(', '[']).unwrap_or(t.len());
    let base = t[..base_end].trim();
    let params = t[base_end..]
        .strip_prefix('(')
        .and_then(|r| r.split(')').next())
        .map(|p| p.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_default();
    (base, params)
}

fn is_array(t: &str) -> bool {
    t.ends_with(']') || t.starts_with('_')
}

pub fn is_serial(t: &str) -> bool {
    let (base, _) = parts(t);
    matches!(
        base,
        "serial" | "serial4" | "bigserial" | "serial8" | "smallserial" | "serial2"
    )
}

/// 16- and 32-bit integers, including their serial forms.
pub fn is_small_int(t: &str) -> bool {
    let (base, _) = parts(t);
    !is_array(t)
        && matches!(
            base,
            "int"
                | "integer"
                | "int4"
                | "smallint"
                | "int2"
                | "serial"
                | "serial4"
                | "smallserial"
                | "serial2"
        )
}

pub fn is_json(t: &str) -> bool {
    parts(t).0 == "json"
}

/// `varchar(n)`: the declared limit.
pub fn varchar_limit(t: &str) -> Option<u32> {
    let (base, params) = parts(t);
    match base {
        "varchar" | "character varying" | "char varying" => params.first().copied(),
        _ => None,
    }
}

pub fn is_timestamp_without_tz(t: &str) -> bool {
    let (base, _) = parts(t);
    base == "timestamp" || base == "timestamp without time zone"
}

pub fn is_char(t: &str) -> bool {
    let (base, _) = parts(t);
    matches!(base, "char" | "character" | "bpchar")
}

/// Whether changing a column from `old` to `new` needs no rewrite
/// (binary-coercible widening).
pub fn is_safe_widening(old: &str, new: &str) -> bool {
    if old == new {
        return true;
    }
    let (ob, op) = parts(old);
    let (nb, np) = parts(new);
    let varchar = |b: &str| matches!(b, "varchar" | "character varying" | "char varying");
    let text_like = |b: &str| b == "text" || varchar(b);
    if is_array(old) || is_array(new) {
        return false;
    }
    if text_like(ob) && nb == "text" {
        return true;
    }
    if text_like(ob) && varchar(nb) {
        return match (op.first(), np.first()) {
            (_, None) => true,
            (Some(o), Some(n)) => n >= o,
            (None, Some(_)) => false,
        };
    }
    if matches!(ob, "numeric" | "decimal") && matches!(nb, "numeric" | "decimal") {
        return match (op.as_slice(), np.as_slice()) {
            (_, []) => true,
            ([p, s], [q, t]) => q >= p && s == t,
            ([p], [q]) => q >= p,
            ([p], [q, 0]) => q >= p,
            _ => false,
        };
    }
    if let (Some((of, otz)), Some((nf, ntz))) = (clock(old), clock(new)) {
        // `timestamp(p)` / `time(p)` to a precision at least as fine (no
        // precision is the finest, 6); the time zone must not change.
        return of == nf
            && otz == ntz
            && match (op.first(), np.first()) {
                (_, None) => true,
                (Some(o), Some(n)) => n >= o,
                (None, Some(n)) => *n >= 6,
            };
    }
    if matches!(ob, "varbit" | "bit varying") && matches!(nb, "varbit" | "bit varying") {
        return match (op.first(), np.first()) {
            (_, None) => true,
            (Some(o), Some(n)) => n >= o,
            (None, Some(_)) => false,
        };
    }
    ob == "cidr" && nb == "inet"
}

/// `timestamp` or `time`, and whether with time zone.
fn clock(t: &str) -> Option<(&'static str, bool)> {
    let (base, _) = parts(t);
    let tz = !t.contains("without time zone") && t.contains("with time zone");
    match base {
        "timestamp" => Some(("timestamp", tz)),
        "timestamptz" => Some(("timestamp", true)),
        "time" => Some(("time", tz)),
        "timetz" => Some(("time", true)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widenings_are_recognized() {
        assert!(is_safe_widening("varchar(20)", "varchar(40)"));
        assert!(is_safe_widening("character varying(20)", "text"));
        assert!(is_safe_widening("numeric(10,2)", "numeric(12,2)"));
        assert!(is_safe_widening("cidr", "inet"));
        assert!(is_safe_widening(
            "timestamp(3) with time zone",
            "timestamptz"
        ));
        assert!(is_safe_widening("timestamp(0)", "timestamp(3)"));
        assert!(is_safe_widening("time(2)", "time"));
        assert!(is_safe_widening("bit varying(8)", "varbit(16)"));
        assert!(!is_safe_widening("timestamp(3)", "timestamp(0)"));
        assert!(!is_safe_widening("timestamp", "timestamptz"));
        assert!(!is_safe_widening("timestamp", "timestamp(3)"));
        assert!(!is_safe_widening("varbit(16)", "varbit(8)"));
        assert!(!is_safe_widening("varchar(40)", "varchar(20)"));
        assert!(!is_safe_widening("int", "bigint"));
        assert!(!is_safe_widening("numeric(10,2)", "numeric(12,3)"));
    }

    #[test]
    fn type_families() {
        assert!(is_small_int("integer") && is_small_int("serial") && !is_small_int("bigint"));
        assert!(!is_small_int("int[]"));
        assert_eq!(varchar_limit("character varying(20)"), Some(20));
        assert_eq!(varchar_limit("varchar"), None);
        assert!(is_timestamp_without_tz("timestamp(3)"));
        assert!(!is_timestamp_without_tz("timestamp with time zone"));
        assert!(is_char("char(3)") && !is_char("char varying(3)"));
    }

    #[test]
    fn type_texts_are_lowercase_and_single_spaced() {
        use sqlparser::dialect::PostgreSqlDialect;
        use sqlparser::parser::Parser;
        for (sql, want) in [
            (
                "TIMESTAMP(3)  WITH TIME ZONE",
                "timestamp(3) with time zone",
            ),
            ("Character\tVarying(20)", "character varying(20)"),
            ("\"Ünïcode\"", "\"ünïcode\""),
            ("INT[]", "int[]"),
            ("numeric(10, 2)", "numeric(10,2)"),
        ] {
            let dt = Parser::new(&PostgreSqlDialect {})
                .try_with_sql(sql)
                .and_then(|mut p| p.parse_data_type())
                .expect("a type");
            let slow = dt.to_string().to_lowercase();
            let slow = slow.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(type_text(&dt), slow, "{sql}");
            assert_eq!(type_text(&dt), want, "{sql}");
        }
    }
}
