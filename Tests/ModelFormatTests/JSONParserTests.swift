import Foundation
import Testing

@testable import ModelFormat

@Suite struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(ArraySlice(Array(text.utf8))) }

    @Test("values, escapes and numbers as RFC 8259 writes them (expected values written by hand)")
    func values() throws {
        #expect(try parse(#" {"a": [1, -2.5e3, 0.125, true, false, null], "b": {}} "#)
            == .object(["a": .array([.number(1), .number(-2500), .number(0.125), .bool(true), .bool(false), .null]), "b": .object([:])]))
        #expect(try parse(#""tab\tquote\"slash\/back\\nl\n""#) == .string("tab\tquote\"slash/back\\nl\n"))
        #expect(try parse(#""\u00fc\u20ac\ud83d\ude00""#) == .string("ü€😀"))
        #expect(try parse("\"über\"") == .string("über"))
        #expect(try parse("0.1") == .number(0.1))
        #expect(try parse("[]") == .array([]))
    }

    @Test("what Foundation's encoder writes reads back to the same value")
    func foundationRoundTrip() throws {
        let value: JSONValue = ["x": [1.5, "a\u{1}b", nil, true], "nested": ["deep": [[["k": 1e-300]]]], "big": 9_007_199_254_740_991]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        #expect(try JSONParser.parse(ArraySlice(Array(try encoder.encode(value)))) == value)
    }

    @Test("malformed text is refused with the byte offset", arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"abc", "\"\\x\"", "\"\\ud83d\"", "tru", "[1] 2", "1e999", "\"a\u{1}\"",
    ])
    func malformed(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
    }

    @Test("nesting is bounded, so a hostile manifest cannot exhaust the stack")
    func depth() {
        #expect(throws: JSONParser.Failure.self) { try parse(String(repeating: "[", count: 10_000)) }
        #expect((try? parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100))) != nil)
    }
}
