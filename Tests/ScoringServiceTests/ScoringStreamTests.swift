import Foundation
import ModelFormat
import Testing

@testable import ScoringService

@Suite("Scoring stream protocol")
struct ScoringStreamTests {
    let directory: ModelDirectory
    let models: ServedModel

    init() throws {
        (directory, models) = try ModelDirectory.servingV1()
    }

    static let rows = """
        LNR;A;B;C
        1;2;0;x
        2;7;9;y
        3;-1;;x
        4;abc;1;x
        5;1;2
        6;X;1;x

        """

    /// Worked out by hand from the bundle's description in `TestBundles` (initial score 0).
    static let answers = """
        LNR;segment;segment_label;probability
        1;1;core;0.18242552380635632
        2;2;neutral;0.8175744761936437
        3;0;insufficient-data;0.37754066879814546
        4;error;column A: 'abc' is not a number
        5;error;row has 3 fields, the header has 4
        6;1;core;0.37754066879814546

        """

    func answer(_ input: String, options: StreamOptions = StreamOptions(), endOfInput: Bool = true) -> String {
        let stream = ScoringStream(models: models, options: options)
        var out: [UInt8] = []
        stream.feed(Array(input.utf8), endOfInput: endOfInput, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test("each row gets one line in input order: scores, segments, labels and per-row errors")
    func csvAnswers() {
        #expect(answer(Self.rows) == Self.answers)
    }

    @Test("a ',' header is detected; CRLF, reordered and extra columns, a BOM are all read")
    func commaSeparated() {
        let input = "\u{FEFF}C,EXTRA,B,LNR,A\r\nx,zz,0,1,2\r\ny,zz,9,2,7\r\n"
        #expect(answer(input) == "LNR;segment;segment_label;probability\n1;1;core;0.18242552380635632\n2;2;neutral;0.8175744761936437\n")
    }

    @Test("JSON Lines with the bundle id")
    func jsonLines() {
        let output = answer("LNR;A;B;C\n1;2;0;x\n4;abc;1;x\n", options: StreamOptions(style: .jsonl, withVersion: true))
        #expect(output == """
            {"LNR":"1","segment":1,"segment_label":"core","probability":0.18242552380635632,"bundle_id":"v1"}
            {"LNR":"4","error":"column A: 'abc' is not a number","bundle_id":"v1"}

            """)
    }

    @Test("a header without a required column gets one error line and the stream closes")
    func missingColumn() {
        let stream = ScoringStream(models: models)
        var out: [UInt8] = []
        stream.feed(Array("LNR;A;C\n1;2;x\n".utf8), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "error;required column B is not in the input (bundle v1 needs it)\n")
        #expect(stream.isClosed)
        let answered = out.count
        stream.feed(Array("2;3;y\n".utf8), into: &out)
        #expect(out.count == answered)
    }

    @Test("an over-long line is answered with an error in its place, even when it arrives in pieces")
    func overlongLine() {
        let options = StreamOptions(maxLineBytes: 20)
        let long = "7;" + String(repeating: "1", count: 40) + ";0;x\n"
        let expected = "LNR;segment;segment_label;probability\n1;1;core;0.18242552380635632\n"
            + "row 2;error;line is longer than 20 bytes (--max-line-bytes)\n2;2;neutral;0.8175744761936437\n"
        let input = "LNR;A;B;C\n1;2;0;x\n" + long + "2;7;9;y\n"
        #expect(answer(input, options: options) == expected)
        // Byte by byte, the over-long line is found before its newline arrives.
        let stream = ScoringStream(models: models, options: options)
        var out: [UInt8] = []
        for byte in input.utf8 { stream.feed([byte], into: &out) }
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test("feeding byte by byte answers exactly as feeding everything at once")
    func framing() {
        let stream = ScoringStream(models: models)
        var out: [UInt8] = []
        let bytes = Array(Self.rows.utf8)
        for byte in bytes { stream.feed([byte], into: &out) }
        #expect(String(decoding: out, as: UTF8.self) == Self.answers)
    }

    @Test("pieces of every size, with rows that straddle them, an over-long line and a last row without a newline, answer as one piece", arguments: [1, 2])
    func pieces(workers: Int) {
        let options = StreamOptions(maxLineBytes: 20, workers: workers, parallelThreshold: 1)
        let long = "7;" + String(repeating: "1", count: 40) + ";0;x\n"
        let input = Self.rows + long + "2;7;9;y\n3;-1;;x"
        let expected = Self.answers + "row 7;error;line is longer than 20 bytes (--max-line-bytes)\n"
            + "2;2;neutral;0.8175744761936437\n3;0;insufficient-data;0.37754066879814546\n"
        let bytes = Array(input.utf8)
        for size in 1...bytes.count {
            let stream = ScoringStream(models: models, options: options)
            var out: [UInt8] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                let end = min(bytes.count, start + size)
                stream.feed(Array(bytes[start..<end]), endOfInput: end == bytes.count, into: &out)
            }
            #expect(String(decoding: out, as: UTF8.self) == expected, "pieces of \(size) bytes")
        }
    }

    @Test("a last row without a newline is answered at end of input only")
    func lastLine() {
        #expect(answer("LNR;A;B;C\n1;2;0;x", endOfInput: false) == "LNR;segment;segment_label;probability\n")
        #expect(answer("LNR;A;B;C\n1;2;0;x") == "LNR;segment;segment_label;probability\n1;1;core;0.18242552380635632\n")
    }

    @Test("an unterminated quote is that row's error; the next row is answered")
    func unterminatedQuote() {
        let output = answer("LNR;A;B;C\n1;\"2;0;x\n2;7;9;y\n")
        #expect(output == "LNR;segment;segment_label;probability\nrow 1;error;a quoted field has no closing quote\n2;2;neutral;0.8175744761936437\n")
    }

    @Test("a large batch split over two workers keeps input order and every row")
    func parallelOrder() {
        var input = "LNR;A;B;C\n"
        var expected = "LNR;segment;segment_label;probability\n"
        for i in 0..<3000 {
            switch i % 3 {
            case 0:
                input += "\(i);2;0;x\n"
                expected += "\(i);1;core;0.18242552380635632\n"
            case 1:
                input += "\(i);7;9;y\n"
                expected += "\(i);2;neutral;0.8175744761936437\n"
            default:
                input += "\(i);oops;9;y\n"
                expected += "\(i);error;column A: 'oops' is not a number\n"
            }
        }
        let parallel = answer(input, options: StreamOptions(workers: 2, parallelThreshold: 1))
        #expect(parallel == expected)
    }

    @Test("a reload takes effect at the next batch; rows already read keep their model")
    func reloadBetweenBatches() throws {
        let stream = ScoringStream(models: models, options: StreamOptions(withVersion: true))
        var out: [UInt8] = []
        stream.feed(Array("LNR;A;B;C\n1;2;0;x\n2;7;".utf8), into: &out)
        try directory.install(TestBundles.bundle(id: "v2", initialScore: 2), as: "v2.bundle")
        #expect(models.reloadIfChanged() == .swapped(from: "v1", to: "v2"))
        stream.feed(Array("9;y\n".utf8), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == """
            LNR;segment;segment_label;probability;bundle_id
            1;1;core;0.18242552380635632;v1
            2;2;neutral;0.9706877692486436;v2

            """)
    }

    @Test("a new bundle the stream's header cannot feed ends the stream with a clear error")
    func rebindFailure() throws {
        let stream = ScoringStream(models: models)
        var out: [UInt8] = []
        stream.feed(Array("LNR;A;B;C\n1;2;0;x\n".utf8), into: &out)
        try directory.install(TestBundles.bundleNeedingD(id: "wide"), as: "wide.bundle")
        #expect(models.reloadIfChanged() == .swapped(from: "v1", to: "wide"))
        out = []
        stream.feed(Array("2;7;9;y\n".utf8), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "error;required column D is not in the input (bundle wide needs it)\n")
        #expect(stream.isClosed)
    }

    @Test("the separator follows the header: more commas than semicolons means ','")
    func separatorDetection() {
        func detect(_ header: String) -> UInt8 {
            Array(header.utf8).withUnsafeBufferPointer { SeparatorDetection.separator(ofHeader: $0) }
        }
        #expect(detect("LNR;A;B") == UInt8(ascii: ";"))
        #expect(detect("LNR,A,B") == UInt8(ascii: ","))
        #expect(detect("\"a;b\",c,d") == UInt8(ascii: ","))
        #expect(detect("LNR") == UInt8(ascii: ";"))
    }

    // Issue 16, defect 3: a duplicate column was accepted silently (its first occurrence won).
    @Test("a header naming a column the bundle reads twice is refused with one line naming it")
    func duplicateColumn() {
        #expect(answer("LNR;A;B;A;C\n1;2;0;7;x\n")
            == "error;column A appears 2 times in the header (fields 2, 4) and must appear once (bundle v1 reads it)\n")
        #expect(answer("C,LNR,A,B,LNR\nx,1,2,0,2\n")
            == "error;column LNR appears 2 times in the header (fields 2, 5) and must appear once (bundle v1 reads it)\n")
        // A column the bundle does not read may repeat: it is ignored either way.
        #expect(answer("LNR;X;A;B;X;C\n1;a;2;0;b;x\n") == "LNR;segment;segment_label;probability\n1;1;core;0.18242552380635632\n")
    }

    /// Every control byte, quotes and separators, in ids and in fields echoed by error messages.
    static let hostileRows: [String] = {
        var rows: [String] = []
        for byte in Array(0x00...0x1F) + [0x7F] {
            let c = String(UnicodeScalar(UInt8(byte)))
            rows.append("i\(c)d\(byte);2;0;x")
            rows.append("e\(byte);2\(c);0;x")
            rows.append("\(c)\(byte);7;9;y\(c)")
        }
        rows += [#""a;b";2;0;x"#, #""q""uote";7;9;y"#, #"a"b;2;0;x"#, #""un;closed;2;0;x"#, "semi,comma;2;0;x"]
        return rows
    }()

    // Issue 16, defect 6: NUL and control bytes of a row were echoed raw into the answers.
    @Test("control bytes, quotes and separators in a row: one answer line per input line, each one a clean CSV record")
    func hostileBytesCSV() {
        let input = "LNR;A;B;C\n" + Self.hostileRows.joined(separator: "\n") + "\n"
        let output = answer(input)
        // A newline inside a row makes two lines; blank lines are not rows.
        let inputLines = input.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).dropFirst()
            .filter { !$0.isEmpty && !($0.count == 1 && $0.first == 0x0D) }
        let lines = output.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        #expect(lines.last?.isEmpty == true, "the output ends with a newline")
        #expect(lines.count - 2 == inputLines.count, "one answer per input line")
        for line in lines.dropLast() {
            let text = String(decoding: line, as: UTF8.self)
            #expect(!line.contains { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\"") }, "\(text.debugDescription)")
            let fields = line.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false).count
            #expect(fields == 4 || (fields == 3 && text.contains(";error;")), "\(text.debugDescription)")
        }
        #expect(output.contains("\ni d0;1;core;0.18242552380635632\n"))
        #expect(output.contains("\ne27;error;column A: '2 ' is not a number\n"))
        #expect(output.contains("\na,b;1;core;0.18242552380635632\n"))
    }

    @Test("control bytes, quotes and separators in a row: every JSON line parses and carries the row's id exactly")
    func hostileBytesJSON() throws {
        let rows = Self.hostileRows.filter { !$0.contains("\n") && !$0.contains("\r") }
        let input = "LNR;A;B;C\n" + rows.joined(separator: "\n") + "\n"
        let output = answer(input, options: StreamOptions(style: .jsonl))
        let lines = output.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        #expect(lines.count == rows.count + 1 && lines.last?.isEmpty == true)
        for (row, line) in zip(rows, lines) {
            let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            let id = object?["LNR"] as? String
            if row.hasPrefix("i") {
                #expect(id == String(row.prefix { $0 != ";" }), "\(row.debugDescription)")
            }
            #expect(object?["probability"] != nil || object?["error"] != nil, "\(row.debugDescription)")
        }
    }
}
