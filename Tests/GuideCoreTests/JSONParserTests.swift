import Testing
@testable import GuideCore

/// The parser is strict RFC 8259 and its error positions are what a person editing a
/// session sees, so both values and exact messages are checked.
@Suite struct JSONParserTests {
    private func parse(_ text: String) throws(JSONParser.SyntaxError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    private func failure(_ bytes: [UInt8]) -> String? {
        do {
            _ = try JSONParser.parse(bytes)
            return nil
        } catch {
            return error.description
        }
    }

    private func failure(_ text: String) -> String? { failure(Array(text.utf8)) }

    @Test func parsesEveryKindOfValueAndKeepsKeyOrder() throws {
        let value = try parse(#" { "b": [1, -2.5, true, false, null], "a": {"x": "y"} } "#)
        #expect(
            value
                == .object([
                    ("b", .array([.number(1), .number(-2.5), .bool(true), .bool(false), .null])),
                    ("a", .object([("x", .string("y"))])),
                ]))
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["b", "a"])
    }

    @Test func decodesEveryEscape() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
        #expect(try parse(#""caf\u00e9 \u20AC""#) == .string("café €"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
    }

    @Test func joinsSurrogatePairs() throws {
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse(#""\uD834\uDD1E""#) == .string("𝄞"))
    }

    @Test func rejectsUnpairedSurrogates() {
        #expect(failure(#""\ud83d""#) == "line 1, column 8: unpaired surrogate \\ud83d")
        #expect(failure(#""\ud83d\u0041""#) == "line 1, column 14: unpaired surrogate \\ud83d")
        #expect(failure(#""\ude00""#) == "line 1, column 8: unpaired surrogate \\ude00")
    }

    @Test func rejectsBadEscapes() {
        #expect(failure(#""\x""#) == "line 1, column 3: invalid escape '\\x' in a string")
        #expect(failure(#""\u12G4""#) == "line 1, column 6: expected 4 hex digits after \\u")
        #expect(failure("\"a\tb\"") == "line 1, column 3: control character in a string (write \\n, \\t or \\u00XX)")
    }

    @Test func readsRawUTF8() throws {
        #expect(try parse("\"é 😀 ✓\"") == .string("é 😀 ✓"))
    }

    @Test(arguments: [
        ([0x22, 0xC0, 0x80, 0x22], "overlong two-byte NUL", 0xC0),
        ([0x22, 0xE0, 0x80, 0x80, 0x22], "overlong three-byte", 0xE0),
        ([0x22, 0xED, 0xA0, 0x80, 0x22], "encoded surrogate", 0xED),
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "above U+10FFFF", 0xF4),
        ([0x22, 0xE9, 0x22], "Latin-1 é", 0xE9),
        ([0x22, 0xE2, 0x82], "truncated at end", 0xE2),
    ] as [([UInt8], String, Int)])
    func rejectsInvalidUTF8WithItsOffset(bytes: [UInt8], why: String, lead: Int) {
        let hex = String(lead, radix: 16, uppercase: true)
        #expect(failure(bytes) == "line 1, column 2: invalid UTF-8 (byte 0x\(hex) at offset 1); save the file as UTF-8", "\(why)")
    }

    @Test func parsesNumbers() throws {
        #expect(try parse("0") == .number(0))
        #expect(try parse("-0") == .number(0))
        #expect(try parse("12.5e-1") == .number(1.25))
        #expect(try parse("1E+2") == .number(100))
        #expect(try parse("-7") == .number(-7))
        #expect(try parse("0.001") == .number(0.001))
    }

    /// Whole numbers of up to 15 digits are read without going through text; longer ones,
    /// fractions and exponents as before. Both give exactly what `Double(text)` gives.
    @Test func readsWholeNumbersAsTheTextWouldRead() throws {
        for text in ["0", "7", "-7", "123456789012345", "-999999999999999", "1234567890123456", "9007199254740993", "12345678901234567890"] {
            #expect(try parse(text) == .number(Double(text)!), "\(text)")
        }
        guard case .number(let negativeZero) = try parse("-0") else { Issue.record("not a number"); return }
        #expect(negativeZero.sign == .minus)
    }

    /// A string read as one run up to an escape, a control character or a non-ASCII byte
    /// goes on scalar by scalar from there, with the same errors at the same columns.
    @Test func readsStringsThatLeaveThePlainRunHalfway() throws {
        #expect(try parse(#""status\n\u0041""#) == .string("status\nA"))
        #expect(try parse("\"abc é\"") == .string("abc é"))
        #expect(try parse(#""""#) == .string(""))
        #expect(failure("\"abc\u{1}\"") == "line 1, column 5: control character in a string (write \\n, \\t or \\u00XX)")
        #expect(failure([0x22, 0x61, 0x62, 0xE9, 0x22]) == "line 1, column 4: invalid UTF-8 (byte 0xE9 at offset 3); save the file as UTF-8")
        #expect(failure(#""abc"#) == "line 1, column 5: unterminated string")
    }

    @Test func rejectsMalformedNumbers() {
        #expect(failure("01") == "line 1, column 2: invalid number: leading zero")
        #expect(failure("1.") == "line 1, column 3: invalid number: expected a digit after '.'")
        #expect(failure("-") == "line 1, column 2: invalid number: expected a digit after '-'")
        #expect(failure("1e") == "line 1, column 3: invalid number: expected a digit in the exponent")
        #expect(failure("1e400") == "line 1, column 1: number 1e400 is out of range")
        #expect(failure(".5") == "line 1, column 1: unexpected '.', expected a value")
        #expect(failure("+1") == "line 1, column 1: unexpected '+', expected a value")
    }

    @Test func skipsALeadingByteOrderMarkOnly() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a": 1}"#.utf8)) == .object([("a", .number(1))]))
        #expect(failure([0x20, 0xEF, 0xBB, 0xBF, 0x7B, 0x7D]) == "line 1, column 2: unexpected byte 0xEF, expected a value")
    }

    @Test func namesLineAndColumnOfSyntaxErrors() {
        #expect(failure("") == "line 1, column 1: unexpected end of input, expected a value")
        #expect(failure("{\n  \"a\": 1\n  \"b\": 2\n}") == "line 3, column 3: unexpected '\"', expected ',' or '}'")
        #expect(failure("[1,\n 2,\n]") == "line 3, column 1: trailing comma before ']'")
        #expect(failure(#"{"a": 1,}"#) == "line 1, column 9: trailing comma before '}'")
        #expect(failure(#"{"a" 1}"#) == "line 1, column 6: unexpected '1', expected ':'")
        #expect(failure("{a: 1}") == "line 1, column 2: unexpected 'a', expected a quoted field name")
        #expect(failure(#"{"a": tru}"#) == "line 1, column 7: unexpected 't', expected a value")
        #expect(failure("{} x") == "line 1, column 4: unexpected 'x' after the end of the document")
        #expect(failure(#"{"a": "open"#) == "line 1, column 12: unterminated string")
    }

    @Test func countsColumnsInCharactersNotBytes() {
        #expect(failure(#"{"é": x}"#) == "line 1, column 7: unexpected 'x', expected a value")
    }

    @Test func rejectsDuplicateKeysAtTheSecondOne() {
        #expect(failure("{\"a\": 1,\n \"a\": 2}") == "line 2, column 2: field \"a\" appears twice")
    }

    /// Small objects are checked by a scan, large ones through a Set: a duplicate is found
    /// wherever it falls, below, at and past the switch, and distinct keys all pass.
    @Test(arguments: [2, 15, 16, 17, 40, 300])
    func findsDuplicatesInObjectsOfAnySize(keys: Int) throws {
        let members = (0..<keys).map { "\"k\($0)\": \($0)" }
        guard case .object(let parsed) = try parse("{" + members.joined(separator: ", ") + "}") else {
            Issue.record("not an object")
            return
        }
        #expect(parsed.map(\.key) == (0..<keys).map { "k\($0)" })
        for repeated in [0, keys / 2, keys - 1] {
            let text = "{" + (members + ["\"k\(repeated)\": -1"]).joined(separator: ", ") + "}"
            #expect(failure(text)?.hasSuffix("field \"k\(repeated)\" appears twice") == true, "\(keys) keys, k\(repeated) again")
        }
    }

    @Test func boundsTheNestingDepth() throws {
        let limit = JSONParser.maximumDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        _ = try parse(deepest)
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(failure(tooDeep) == "line 1, column \(limit + 1): nested deeper than \(limit) levels")
    }

    @Test func survivesTenThousandLevels() {
        #expect(failure(String(repeating: "[", count: 10_000)) == "line 1, column 65: nested deeper than 64 levels")
        #expect(failure(String(repeating: #"{"a":"#, count: 10_000)) == "line 1, column 321: nested deeper than 64 levels")
    }
}
