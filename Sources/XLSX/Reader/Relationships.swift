/// One `<Relationship>` of an OPC `.rels` part, its target resolved to a package part name.
struct Relationship: Sendable {
    var id: String
    var type: String
    /// Part name without a leading `/` (how ZIP entries are named), or nil for external targets.
    var target: String?

    /// True when the relationship type URI ends in `/suffix` (transitional and strict
    /// OOXML differ only in the URI's prefix).
    func isType(_ suffix: String) -> Bool {
        type.hasSuffix("/" + suffix)
    }
}

enum Relationships {
    /// The `.rels` part that holds the relationships of `part` (`xl/workbook.xml` →
    /// `xl/_rels/workbook.xml.rels`; the package itself → `_rels/.rels`).
    static func relsPart(for part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "_rels/\(part).rels" }
        return "\(part[..<slash])/_rels/\(part[part.index(after: slash)...]).rels"
    }

    /// Reads a `.rels` part; targets are resolved against `sourcePart` (nil for the package).
    static func parse(_ bytes: [UInt8], file: String, part: String, sourcePart: String?) throws(XLSXError)
        -> [Relationship]
    {
        try XMLStreamReader.parse(bytes, file: file, part: part) { (reader) throws(XLSXError) in
            let relationshipName = reader.intern("Relationship")
            let idName = reader.intern("Id")
            let typeName = reader.intern("Type")
            let targetName = reader.intern("Target")
            let modeName = reader.intern("TargetMode")
            var result: [Relationship] = []
            while try reader.read() {
                guard reader.isElement, reader.localName == relationshipName else { continue }
                var id = "", type = "", target = "", external = false
                reader.forEachAttribute { name, value in
                    if name == idName {
                        id = String(cString: value)
                    } else if name == typeName {
                        type = String(cString: value)
                    } else if name == targetName {
                        target = String(cString: value)
                    } else if name == modeName {
                        external = String(cString: value) == "External"
                    }
                }
                result.append(
                    Relationship(
                        id: id, type: type, target: external ? nil : resolve(target, from: sourcePart)))
            }
            return result
        }
    }

    /// Resolves a relationship target (absolute `/xl/x.xml` or relative `worksheets/s.xml`,
    /// `../x.xml`) to a part name; `..` never climbs above the package root.
    static func resolve(_ target: String, from sourcePart: String?) -> String {
        var segments: [Substring] = []
        if !target.hasPrefix("/"), let sourcePart, let slash = sourcePart.lastIndex(of: "/") {
            segments = sourcePart[..<slash].split(separator: "/")
        }
        let path = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        for segment in path.split(separator: "/") {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        return segments.joined(separator: "/").removingPercentEncodingOfASCII()
    }
}

extension String {
    /// `%20` → space and friends; part names in targets are URIs. Invalid escapes stay as they are.
    fileprivate func removingPercentEncodingOfASCII() -> String {
        guard utf8.contains(UInt8(ascii: "%")) else { return self }
        var out: [UInt8] = []
        let bytes = Array(utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
                let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2])
            {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}
