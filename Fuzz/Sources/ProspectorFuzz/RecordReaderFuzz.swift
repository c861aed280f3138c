import ModelFormat
import Tabular

/// `RecordReader` splits a line without quotes itself, in one loop that must agree with
/// `CSVTokenizer` (the path lines with quotes take): the input, up to its first newline, is
/// read both ways against the fixture model's header and the inputs must come out the same.
enum RecordReaderFuzz {
    static let reader: RecordReader = {
        do {
            return try RecordReader(transform: FuzzFixtures.model.transform, header: FuzzFixtures.header)
        } catch {
            fatalError("the fixture header does not bind: \(error)")
        }
    }()

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let separatorByte = input.first else { return }
        let separator = separatorByte & 1 == 0 ? UInt8(ascii: ";") : UInt8(ascii: ",")
        var line = UnsafeBufferPointer(rebasing: input[1...])
        if let newline = line.firstIndex(of: 0x0A) { line = UnsafeBufferPointer(rebasing: line[..<newline]) }
        guard !RecordReader.hasQuote(line) else { return }
        let reader = self.reader
        let count = FuzzFixtures.model.transform.inputs.count
        var inline = [Double](repeating: 0, count: count)
        var idRange: Range<Int>?
        let reading = inline.withUnsafeMutableBufferPointer {
            reader.read(unquotedLine: line, separator: separator, into: $0, idRange: &idRange)
        }

        var fields: [CSVField] = []
        if !line.isEmpty {
            do {
                _ = try CSVTokenizer(separator: separator).record(in: line, from: 0, into: &fields)
            } catch {
                fuzzFailure("the tokenizer refused a line without quotes: \(error)")
            }
        }
        switch reading {
        case .wrongFieldCount(let found):
            guard found == fields.count, found != reader.fieldCount else {
                fuzzFailure("inline reader counted \(found) fields, tokenizer \(fields.count)")
            }
        case .read, .unreadable:
            guard fields.count == reader.fieldCount else {
                fuzzFailure("inline reader read a line the tokenizer splits into \(fields.count) fields")
            }
            var tokenized = [Double](repeating: 0, count: count)
            let unreadable = tokenized.withUnsafeMutableBufferPointer {
                reader.read(fields: fields, in: line, into: $0)
            }
            for i in 0..<count where !(inline[i] == tokenized[i] || (inline[i].isNaN && tokenized[i].isNaN)) {
                fuzzFailure("input \(i): inline \(inline[i]), tokenizer \(tokenized[i])")
            }
            let inlineUnreadable: RecordReader.UnreadableField? =
                if case .unreadable(let field) = reading { field } else { nil }
            guard inlineUnreadable == unreadable else {
                fuzzFailure("unreadable field: inline \(String(describing: inlineUnreadable)), tokenizer \(String(describing: unreadable))")
            }
            if let idIndex = reader.idIndex {
                let expected = fields[idIndex].start..<fields[idIndex].end
                guard idRange == expected else {
                    fuzzFailure("id field: inline \(String(describing: idRange)), tokenizer \(expected)")
                }
            }
        }
    }
}
