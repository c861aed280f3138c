import Testing

@testable import Tabular

/// The reader parses records into 32-row blocks: small integers as cells, everything else
/// set aside and applied after the block. These tests put the rare cases in the middle of
/// blocks and at their edges; expected values come from the generating formulas.
@Suite struct BlockParseTests {
    private func read(_ text: String, options: CSVOptions = CSVOptions(workers: 1, chunkCount: 1)) throws -> Table {
        try CSVReader.read(bytes: Array(text.utf8), name: "b.csv", options: options)
    }

    /// Spellings the fast path must read exactly like `FieldValue.parse`, with the last
    /// line lacking its newline (read by the bounds-checked path).
    @Test func integerSpellings() throws {
        let t = try read("a;b;c;d\n2.;-0;007;1234567890\n1.00;+5;-12.0;-7\n-;.0;1.5;12345678901")
        #expect(t["a"]!.storage == .int8([2, 1, 0]))
        #expect(t["a"]!.value(row: 2) == .special("-"))
        #expect(t["b"]!.storage == .int8([0, 5, 0]))
        #expect(!t["b"]!.isMissing(row: 2))
        #expect(t["c"]!.storage == .double([7, -12, 1.5]))
        #expect(t["d"]!.storage == .int64([1_234_567_890, -7, 12_345_678_901]))
    }

    @Test func carriageReturnLineEnds() throws {
        let t = try read("a;b\r\n1;-2.0\r\n;30\r\n")
        #expect(t.rowCount == 2)
        #expect(t["a"]!.storage == .int8([1, 0]))
        #expect(t["a"]!.isMissing(row: 1))
        #expect(t["b"]!.storage == .int8([-2, 30]))
    }

    /// 100 rows: a column widened twice inside blocks (to Int16 at row 45, to Int64 at
    /// row 70), one turned Double at row 50, one with tokens, gaps before and after.
    static func widening() -> (text: String, n: [Int64?], d: [Double?], t: [String]) {
        var text = "n;d;t\n"
        var n: [Int64?] = []
        var d: [Double?] = []
        var t: [String] = []
        for row in 0..<100 {
            let nValue: Int64? =
                row == 45 ? 300 : row == 70 ? 3_000_000_000 : row % 9 == 4 ? nil : Int64(row % 7 - 3)
            let dValue: Double? = row == 50 ? 0.25 : row == 51 || row == 31 ? nil : Double(row % 5)
            let tValue = row % 10 == 3 ? "X" : "\(row % 4)"
            n.append(nValue)
            d.append(dValue)
            t.append(tValue)
            let dText = dValue.map { $0 == 0.25 ? "0.25" : "\(Int($0)).0" } ?? ""
            text += "\(nValue.map(String.init) ?? "");\(dText);\(tValue)\n"
        }
        return (text, n, d, t)
    }

    @Test(arguments: [1, 3, 7])
    func widenedInsideBlocks(chunks: Int) throws {
        let expected = Self.widening()
        let table = try read(expected.text, options: CSVOptions(workers: 2, chunkCount: chunks))
        #expect(table.rowCount == 100)
        let n = table["n"]!
        if case .int64 = n.storage {} else { Issue.record("n should be Int64, is \(n.storage)") }
        let d = table["d"]!
        if case .double = d.storage {} else { Issue.record("d should be Double, is \(d.storage)") }
        let t = table["t"]!
        #expect(t.specialTokens.tokens == ["X"])
        #expect(t.specialTokens.count(of: "X") == 10)
        for row in 0..<100 {
            #expect(n.value(row: row) == (expected.n[row].map { .integer(Int($0)) } ?? .missing), "n row \(row)")
            #expect(d.double(row: row) == expected.d[row], "d row \(row)")
            let token = expected.t[row]
            #expect(t.value(row: row) == (token == "X" ? .special("X") : .integer(Int(token)!)), "t row \(row)")
        }
        // Gaps are stored as 0 under the missing mask.
        if case .int64(let values) = n.storage { #expect(values[4] == 0 && values[13] == 0) }
    }

    @Test func quotedTokensWithEscapedQuotesInsideBlocks() throws {
        var text = "a;b\n"
        for row in 0..<40 { text += row == 33 ? "\"say \"\"hi\"\"\";1\n" : "\(row % 3);\(row)\n" }
        let t = try read(text)
        #expect(t["a"]!.value(row: 33) == .special("say \"hi\""))
        #expect(t["a"]!.value(row: 34) == .integer(1))
        #expect(t["b"]!.value(row: 33) == .integer(1))
        #expect(t["b"]!.value(row: 39) == .integer(39))
    }

    /// Gaps are noted by the parser as it writes them (empty fields on the fast path, and
    /// empty quoted fields, tokens and fractions on the slow one), not found again when the
    /// block moves into the columns: every kind of gap at the first, last and middle row of
    /// 32-row blocks, in Int8 and Int32 columns, read from one chunk and from several.
    @Test(arguments: [1, 4])
    func gapsOfEveryKindAtBlockEdges(chunks: Int) throws {
        let rows = 70
        let gapRows: Set<Int> = [0, 15, 31, 32, 63, 64, 69]
        // Per column, what a gap row holds: "" (empty), "\"\"" (empty quoted), a token, a
        // fraction (a gap in its block until applied: then a number), and "" again as the
        // last field of the line.
        let gapSpellings = ["", "\"\"", "X", "0.5", ""]
        var text = "a;b;c;d;e\n"
        for row in 0..<rows {
            let numbers = ["\(row % 5).0", "\(row % 7)", "\(row * 1000)", "\(row % 3)", "-\(row % 4)"]
            let fields = (0..<5).map { gapRows.contains($0 == 0 ? row : (row + $0) % rows) ? gapSpellings[$0] : numbers[$0] }
            text += fields.joined(separator: ";") + "\n"
        }
        let table = try read(text, options: CSVOptions(workers: 2, chunkCount: chunks))
        #expect(table.rowCount == rows)
        for (c, name) in ["a", "b", "c", "d", "e"].enumerated() {
            let column = table[name]!
            for row in 0..<rows {
                let isGap = gapRows.contains(c == 0 ? row : (row + c) % rows) && name != "d"
                #expect(column.isMissing(row: row) == isGap, "\(name) row \(row)")
            }
        }
        #expect(table["a"]!.storage == .int8((0..<rows).map { gapRows.contains($0) ? 0 : Int8($0 % 5) }))
        #expect(table["b"]!.storage == .int8((0..<rows).map { gapRows.contains(($0 + 1) % rows) ? 0 : Int8($0 % 7) }))
        if case .int32 = table["c"]!.storage {} else { Issue.record("c should be Int32, is \(table["c"]!.storage)") }
        #expect(table["c"]!.specialTokens.tokens == ["X"])
        #expect(table["c"]!.value(row: 62) == .special("X"))
        #expect(table["d"]!.value(row: 60) == .double(0.5))
        #expect(table["d"]!.value(row: 62) == .double(2))
        #expect(table["e"]!.value(row: 59) == .missing)
        #expect(table["e"]!.value(row: 58) == .integer(-2))
    }

    /// One digit with or without ".0" is read from one 4-byte load while 4 bytes remain:
    /// the same values as the byte loop, up to the input's last 4 bytes (`4.0\n` is exactly
    /// those); spellings that start alike (`5.01`, `5.0\r\n`, `5.`, `55`) still take the loop.
    @Test func oneDigitSpellingsUpToTheEnd() throws {
        let t = try read("a;b;c\n1.0;2;3.0\n5.01;55;5.0\r\n7;8.0;9\n5.;0;4.0\n")
        #expect(t.rowCount == 4)
        #expect(t["a"]!.storage == .double([1, 5.01, 7, 5]))
        #expect(t["b"]!.storage == .int8([2, 55, 8, 0]))
        #expect(t["c"]!.storage == .int8([3, 5, 9, 4]))
        #expect(t.columns.allSatisfy { $0.missing.count == 0 })
    }
}
