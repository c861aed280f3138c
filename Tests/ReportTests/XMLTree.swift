import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The report read back as XML: the page is written to be well-formed XML, so an XML parser
/// that knows nothing of the renderer can check its structure.
final class Node {
    let name: String
    let attributes: [String: String]
    var children: [Node] = []
    /// Text directly inside, interleaved children's text not included.
    var ownText = ""
    /// Text of the element and all its descendants, in document order.
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// All descendants (and self) in document order.
    var all: [Node] { [self] + children.flatMap(\.all) }

    func elements(_ name: String) -> [Node] { all.filter { $0.name == name } }

    func element(id: String) -> Node? { all.first { $0.attributes["id"] == id } }

    /// The body rows' cell texts.
    var tableRows: [[String]] {
        elements("tbody").flatMap { $0.elements("tr") }.map { $0.children.filter { $0.name == "td" }.map(\.text) }
    }

    var headerCells: [String] {
        elements("th").map(\.text)
    }
}

enum XMLTree {
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> Node {
        let builder = Builder()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw ParseError(
                description: "not well-formed XML at line \(parser.lineNumber), column \(parser.columnNumber): "
                    + "\(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: Node?
        var stack: [Node] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String]
        ) {
            let element = Node(name: elementName, attributes: attributes)
            if let parent = stack.last { parent.children.append(element) } else { root = element }
            stack.append(element)
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.ownText += string
            for element in stack { element.text += string }
        }
    }
}
