/// The pieces every section is made of: numbered sections, figures with captions, and the
/// "not available" notice for parts a run did not produce.
enum Page {
    static func section(id: String, number: Int, title: String, content: String?, unavailable: String) -> String {
        var out = "<section id=\"\(id)\">"
        out += Markup.text("h2", "\(number). \(title)")
        if let content {
            out += content
        } else {
            out += Markup.text("p", "Not available: \(unavailable)", attributes: [("class", "unavailable")])
        }
        return out + "</section>"
    }

    /// A chart with its caption; the caption says what is drawn and how to read it.
    static func figure(_ svg: String, caption: String) -> String {
        "<figure>" + svg + Markup.text("figcaption", caption) + "</figure>"
    }

    static func paragraph(_ text: String) -> String {
        Markup.text("p", text)
    }

    /// Long tables stay folded on screen; their numbers are still in the page.
    static func folded(_ summary: String, _ content: String) -> String {
        "<details>" + Markup.text("summary", summary) + content + "</details>"
    }

    static func code(_ text: String) -> String {
        Markup.text("code", text)
    }
}
