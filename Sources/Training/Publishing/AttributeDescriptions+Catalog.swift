import DIASMetadata
import Features
import ModelFormat

extension AttributeDescriptions {
    /// One entry per input of `transform`, from the metadata attribute the cleaning fit
    /// matched it to (empty fields for columns without metadata).
    init(transform: CleaningTransform, cleaning: CleaningSummary, catalog: DIASCatalog) {
        let matched = Dictionary(cleaning.columns.map { ($0.name, $0.attribute) }, uniquingKeysWith: { a, _ in a })
        self.init(entries: transform.inputs.map { input in
            guard let name = matched[input.name] ?? nil, let attribute = catalog.attribute(named: name) else {
                return Entry(column: input.name, attribute: "", description: "", informationLevel: "", codes: [], meanings: [])
            }
            let described = attribute.codes.compactMap { code in attribute.meaning(of: code).map { (code.description, $0) } }
            return Entry(
                column: input.name, attribute: attribute.name, description: attribute.description,
                informationLevel: attribute.informationLevel ?? "", codes: described.map(\.0), meanings: described.map(\.1))
        })
    }
}
