import Foundation
import Testing

@testable import Console

@Suite struct LogfmtTests {
    @Test("bare values stay bare; spaces, quotes, equals signs, backslashes and empty values are quoted")
    func quoting() {
        #expect(LogfmtLine.value("info") == "info")
        #expect(LogfmtLine.value("models/current") == "models/current")
        #expect(LogfmtLine.value("") == "\"\"")
        #expect(LogfmtLine.value("serving bundle X") == "\"serving bundle X\"")
        #expect(LogfmtLine.value("a=b") == "\"a=b\"")
        #expect(LogfmtLine.value(#"say "hi""#) == #""say \"hi\"""#)
        #expect(LogfmtLine.value(#"C:\dir"#) == #""C:\\dir""#)
    }

    @Test("line breaks, tabs and other control characters are escaped, so one event stays one line")
    func controlCharacters() {
        #expect(LogfmtLine.value("two\nlines") == #""two\nlines""#)
        #expect(LogfmtLine.value("cr\rtab\t") == #""cr\rtab\t""#)
        #expect(LogfmtLine.value("bell\u{7}") == #""bell\u0007""#)
        #expect(!LogfmtLine.value("a\nb\r\u{0}").contains("\n"))
        #expect(LogfmtLine.value("Größe") == "Größe")
    }

    @Test("keys are bare words and pairs are joined by one space")
    func lines() {
        let line = LogfmtLine(["ts": "2026-12-04T07:00:00.000Z", "level": "info", "msg": "a b", "bad key=": "1"])
        #expect(line.text == #"ts=2026-12-04T07:00:00.000Z level=info msg="a b" bad_key_=1"#)
        #expect(LogfmtLine.timestamp(Date(timeIntervalSince1970: 1_796_367_600.25)) == "2026-12-04T07:00:00.250Z")
    }
}

@Suite struct SuggestionTests {
    @Test("a swapped pair, a missing or an extra letter is one edit; far words get no suggestion")
    func closest() {
        #expect(Suggestion.distance("trian", "train") == 1)
        #expect(Suggestion.distance("stdn", "stdin") == 1)
        #expect(Suggestion.distance("kitten", "sitting") == 3)
        #expect(Suggestion.closest(to: "trian", among: ["demo", "train", "predict", "inspect"]) == "train")
        #expect(Suggestion.closest(to: "insp", among: ["demo", "train", "predict", "inspect"]) == "inspect")
        #expect(Suggestion.closest(to: "frobnicate", among: ["demo", "train", "predict"]) == nil)
    }
}
