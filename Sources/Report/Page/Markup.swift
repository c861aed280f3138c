/// Writing the page's markup. All text that reaches the page goes through ``escape(_:)``:
/// attribute names, descriptions and file names come from user files.
///
/// The page is written so that it is also well-formed XML (every element closed, void elements
/// self-closed, no named entities), which lets tests read it with an XML parser.
enum Markup {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newlines are not allowed in XML.
                if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                    scalar.value < 0x20, scalar != "\t", scalar != "\n", scalar != "\r"
                {
                    out += " "
                } else {
                    out.append(character)
                }
            }
        }
        return out
    }

    /// `<name a="v">content</name>`, attributes escaped, content taken as markup.
    static func element(_ name: String, _ content: String, attributes: [(String, String)] = []) -> String {
        "<\(name)\(attributeList(attributes))>\(content)</\(name)>"
    }

    /// `<name>` with escaped text inside.
    static func text(_ name: String, _ text: String, attributes: [(String, String)] = []) -> String {
        element(name, escape(text), attributes: attributes)
    }

    /// A table: a header row of texts, then rows of cells (each cell already markup).
    static func table(id: String, caption: String, header: [String], numericColumns: Set<Int>, rows: [[String]])
        -> String
    {
        // Short tables stay on one printed page; long ones break between rows.
        var out = "<table id=\"\(escape(id))\"\(rows.count <= 25 ? " class=\"keep\"" : "")>"
        out += text("caption", caption)
        out += "<thead><tr>"
        for (index, title) in header.enumerated() {
            out += text("th", title, attributes: numericColumns.contains(index) ? [("class", "num")] : [])
        }
        out += "</tr></thead><tbody>"
        for row in rows {
            out += "<tr>"
            for (index, cell) in row.enumerated() {
                out += element("td", cell, attributes: numericColumns.contains(index) ? [("class", "num")] : [])
            }
            out += "</tr>"
        }
        return out + "</tbody></table>"
    }

    static func attributeList(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }
}
