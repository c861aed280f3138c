import Foundation
import XLSX

/// Locates the fixture workbooks copied from the independent writers (see Fixtures/README.md)
/// and turns their `.expected.json` values into something a ``CellValue`` can be compared with.
enum Fixtures {
    static var directory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    static func path(_ file: String) -> String {
        directory.appendingPathComponent(file).path
    }

    static func expected(_ file: String) throws -> [String: Any] {
        let stem = file.hasSuffix(".xlsx") ? String(file.dropLast(5)) : file
        let data = try Data(contentsOf: directory.appendingPathComponent(stem + ".expected.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// Every fixture workbook with its expected.json, by whether it should read or be refused.
    static func all() -> (readable: [String], malformed: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var readable: [String] = []
        var malformed: [String] = []
        for name in names.sorted() where name.hasSuffix(".expected.json") {
            let workbook = String(name.dropLast(".expected.json".count)) + ".xlsx"
            guard let json = try? expected(workbook) else { continue }
            if json["error"] as? Bool == true {
                malformed.append(workbook)
            } else {
                readable.append(workbook)
            }
        }
        return (readable, malformed)
    }
}

/// One cell as the fixtures write it: JSON number, string (dates as ISO text, errors as their
/// text), boolean or null.
enum JSONCell: Equatable, CustomStringConvertible {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null

    init(json: Any) {
        if json is NSNull {
            self = .null
        } else if let string = json as? String {
            self = .string(string)
        } else if let number = json as? NSNumber {
            // JSONSerialization hands out true/false as NSNumbers of Objective-C type "c".
            self = String(cString: number.objCType) == "c" ? .bool(number.boolValue) : .number(number.doubleValue)
        } else {
            self = .string("unexpected JSON \(json)")
        }
    }

    init(_ value: CellValue?) {
        switch value {
        case nil: self = .null
        case .number(let number): self = .number(number)
        case .text(let text): self = .string(text)
        case .bool(let bool): self = .bool(bool)
        case .error(let text): self = .string(text)
        case .date(let date): self = .string(date.isoString)
        }
    }

    var description: String {
        switch self {
        case .number(let number): return "\(number)"
        case .string(let string): return string.debugDescription
        case .bool(let bool): return "\(bool)"
        case .null: return "null"
        }
    }
}

extension XLSXError {
    /// The case's name, for checking that a malformed file fails for the right reason.
    var kind: String {
        switch self {
        case .unreadableFile: "unreadableFile"
        case .emptyFile: "emptyFile"
        case .notAZip: "notAZip"
        case .corruptZip: "corruptZip"
        case .crcMismatch: "crcMismatch"
        case .sizeMismatch: "sizeMismatch"
        case .limitExceeded: "limitExceeded"
        case .unsafeEntryName: "unsafeEntryName"
        case .duplicateEntry: "duplicateEntry"
        case .unsupportedEntry: "unsupportedEntry"
        case .missingPart: "missingPart"
        case .malformedXML: "malformedXML"
        case .doctypeForbidden: "doctypeForbidden"
        case .invalidContent: "invalidContent"
        case .missingSharedString: "missingSharedString"
        case .sheetNotFound: "sheetNotFound"
        case .sheetIndexOutOfRange: "sheetIndexOutOfRange"
        }
    }
}
