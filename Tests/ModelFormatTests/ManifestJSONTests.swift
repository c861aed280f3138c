import Foundation
import Testing

@testable import ModelFormat

/// The manifest's and the report section's JSON, read by `JSONDecoder` into ``JSONValue``:
/// RFC 8259 values come back as written, malformed text is refused, and a manifest's errors
/// name the field.
@Suite struct ManifestJSONTests {
    func parse(_ text: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    @Test("values, escapes and numbers as RFC 8259 writes them (expected values written by hand)")
    func values() throws {
        #expect(try parse(#" {"a": [1, -2.5e3, 0.125, true, false, null], "b": {}} "#)
            == .object(["a": .array([.number(1), .number(-2500), .number(0.125), .bool(true), .bool(false), .null]), "b": .object([:])]))
        #expect(try parse(#""tab\tquote\"slash\/back\\nl\n""#) == .string("tab\tquote\"slash/back\\nl\n"))
        #expect(try parse(#""\u00fc\u20ac\ud83d\ude00""#) == .string("ü€😀"))
        #expect(try parse("\"über\"") == .string("über"))
        #expect(try parse("0.1") == .number(0.1))
        #expect(try parse("[]") == .array([]))
        // 0 and 1 stay numbers, true and false stay booleans (neither is read as the other).
        #expect(try parse("[0, 1, true, false]") == .array([.number(0), .number(1), .bool(true), .bool(false)]))
    }

    @Test("what Foundation's encoder writes reads back to the same value")
    func foundationRoundTrip() throws {
        let value: JSONValue = ["x": [1.5, "a\u{1}b", nil, true], "nested": ["deep": [[["k": 1e-300]]]], "big": 9_007_199_254_740_991]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        #expect(try JSONDecoder().decode(JSONValue.self, from: try encoder.encode(value)) == value)
    }

    // (Foundation's decoder accepts a trailing comma, `[1,]`, which the former hand-written parser refused.)
    @Test("malformed text is refused", arguments: [
        "", "{", "{\"a\" 1}", "01", "1.", "-", "\"abc", "\"\\x\"", "\"\\ud83d\"", "tru", "[1] 2", "1e999", "\"a\u{1}\"",
    ])
    func malformed(_ text: String) {
        #expect(throws: (any Error).self) { try parse(text) }
    }

    @Test("nesting is bounded, so a hostile manifest cannot exhaust the stack")
    func depth() {
        #expect(throws: (any Error).self) { try parse(String(repeating: "[", count: 10_000)) }
        #expect(throws: (any Error).self) { try parse(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)) }
        #expect((try? parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100))) != nil)
    }

    /// The fixture's manifest as a JSON object, edited by `change`, decoded as the reader does.
    func decodeEdited(_ change: (inout [String: Any]) -> Void) throws -> BundleManifest {
        var json = try JSONSerialization.jsonObject(with: Data(try Fixtures.manifest.jsonBytes())) as! [String: Any]
        change(&json)
        return try BundleManifest.decode(json: ArraySlice(try JSONSerialization.data(withJSONObject: json)), path: "model.bundle")
    }

    @Test("a manifest's errors name the field and its place, as the reader's log shows them")
    func fieldErrors() throws {
        let cases: [(String, ([String: Any]) -> [String: Any])] = [
            ("missing field 'notes'", { var j = $0; j["notes"] = nil; return j }),
            ("missing field 'contentHash' at inputs.[0]", { var j = $0; j["inputs"] = [["name": "x", "size": 1]]; return j }),
            ("expected String at inputs.[0].name", { var j = $0; j["inputs"] = [["name": 7, "size": 1, "contentHash": "h"]]; return j }),
            ("expected a byte count at inputs.[0].size", { var j = $0; j["inputs"] = [["name": "x", "size": -1, "contentHash": "h"]]; return j }),
            ("expected String at inputSchema.idColumn, found null", { var j = $0; j["inputSchema"] = ["idColumn": NSNull(), "columns": []]; return j }),
        ]
        for (problem, edit) in cases {
            #expect(throws: BundleError.invalidManifest(path: "model.bundle", problem: problem)) {
                _ = try decodeEdited { $0 = edit($0) }
            }
        }
        // A fractional byte count is refused too.
        #expect(throws: BundleError.self) { _ = try decodeEdited { $0["inputs"] = [["name": "x", "size": 1.5, "contentHash": "h"]] } }
        // Keys this reader does not know are ignored (a later minor version may add them).
        #expect(try decodeEdited { $0["addedLater"] = ["x": 1] } == Fixtures.manifest)
    }
}
