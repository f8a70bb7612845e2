//! Just enough JSON for a step's payload: a parser into `Value` and string quoting for answers.

/// A JSON value; numbers keep their text.
#[derive(Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member of an object by key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Parses one JSON document.
pub fn parse(bytes: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())?;
    let mut parser = Parser { chars: text.char_indices().peekable(), text };
    let value = parser.value(0)?;
    parser.space();
    match parser.chars.peek() {
        None => Ok(value),
        Some(&(at, _)) => Err(format!("unexpected text at byte {at}")),
    }
}

/// A JSON string literal of `text`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
}

impl Parser<'_> {
    fn space(&mut self) {
        while let Some(&(_, ' ' | '\t' | '\n' | '\r')) = self.chars.peek() {
            self.chars.next();
        }
    }

    fn expect(&mut self, wanted: char) -> Result<(), String> {
        match self.chars.next() {
            Some((_, c)) if c == wanted => Ok(()),
            Some((at, c)) => Err(format!("expected '{wanted}' at byte {at}, found '{c}'")),
            None => Err(format!("expected '{wanted}', found the end")),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        if depth > 64 {
            return Err("nested too deeply".to_string());
        }
        self.space();
        match self.chars.peek().copied() {
            Some((_, '{')) => self.object(depth),
            Some((_, '[')) => self.array(depth),
            Some((_, '"')) => self.string().map(Value::String),
            Some((_, 't')) => self.word("true", Value::Bool(true)),
            Some((_, 'f')) => self.word("false", Value::Bool(false)),
            Some((_, 'n')) => self.word("null", Value::Null),
            Some((start, '-' | '0'..='9')) => {
                let mut end = start;
                while let Some(&(at, c)) = self.chars.peek() {
                    if !matches!(c, '-' | '+' | '.' | 'e' | 'E' | '0'..='9') {
                        break;
                    }
                    end = at + 1;
                    self.chars.next();
                }
                Ok(Value::Number(self.text[start..end].to_string()))
            }
            Some((at, c)) => Err(format!("unexpected '{c}' at byte {at}")),
            None => Err("unexpected end".to_string()),
        }
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, String> {
        for wanted in word.chars() {
            self.expect(wanted)?;
        }
        Ok(value)
    }

    fn object(&mut self, depth: usize) -> Result<Value, String> {
        self.expect('{')?;
        let mut members = Vec::new();
        self.space();
        if let Some(&(_, '}')) = self.chars.peek() {
            self.chars.next();
            return Ok(Value::Object(members));
        }
        loop {
            self.space();
            let key = self.string()?;
            self.space();
            self.expect(':')?;
            members.push((key, self.value(depth + 1)?));
            self.space();
            match self.chars.next() {
                Some((_, ',')) => continue,
                Some((_, '}')) => return Ok(Value::Object(members)),
                _ => return Err("expected ',' or '}' in an object".to_string()),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, String> {
        self.expect('[')?;
        let mut items = Vec::new();
        self.space();
        if let Some(&(_, ']')) = self.chars.peek() {
            self.chars.next();
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.space();
            match self.chars.next() {
                Some((_, ',')) => continue,
                Some((_, ']')) => return Ok(Value::Array(items)),
                _ => return Err("expected ',' or ']' in an array".to_string()),
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect('"')?;
        let mut out = String::new();
        loop {
            match self.chars.next() {
                Some((_, '"')) => return Ok(out),
                Some((_, '\\')) => match self.chars.next() {
                    Some((_, '"')) => out.push('"'),
                    Some((_, '\\')) => out.push('\\'),
                    Some((_, '/')) => out.push('/'),
                    Some((_, 'b')) => out.push('\u{8}'),
                    Some((_, 'f')) => out.push('\u{c}'),
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 'r')) => out.push('\r'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, 'u')) => out.push(self.escaped_char()?),
                    _ => return Err("bad escape in a string".to_string()),
                },
                Some((_, c)) => out.push(c),
                None => return Err("unterminated string".to_string()),
            }
        }
    }

    /// The character of a \u escape, joining a surrogate pair.
    fn escaped_char(&mut self) -> Result<char, String> {
        let high = self.hex4()?;
        if !(0xd800..0xdc00).contains(&high) {
            return char::from_u32(high).ok_or_else(|| "bad \\u escape".to_string());
        }
        self.expect('\\')?;
        self.expect('u')?;
        let low = self.hex4()?;
        if !(0xdc00..0xe000).contains(&low) {
            return Err("unpaired surrogate in a \\u escape".to_string());
        }
        char::from_u32(0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00))
            .ok_or_else(|| "bad \\u escape".to_string())
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = self.chars.next().and_then(|(_, c)| c.to_digit(16));
            value = value * 16 + digit.ok_or_else(|| "bad \\u escape".to_string())?;
        }
        Ok(value)
    }
}
