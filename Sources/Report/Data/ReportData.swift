/// Everything the training report shows, as plain values.
///
/// The trainer fills it from the pipeline and stores it as JSON in the bundle's `report` section
/// (in the manifest before format 1.2), so `trainer report BUNDLE` can draw the same page again
/// from the bundle alone. It depends on no other Prospector type on purpose: the page must stay
/// renderable from old bundles.
///
/// JSON cannot hold non-finite numbers, so every `Double` here must be finite (an undefined
/// ratio is `nil`, not infinity). Sections the run did not produce are `nil`; the page then
/// says the section is not available.
package struct ReportData: Codable, Sendable, Hashable {
    /// The page's title, e.g. "Customer segmentation report".
    package var title: String
    package var provenance: Provenance
    package var dataQuality: DataQuality?
    package var principalComponents: PrincipalComponents?
    package var segments: Segments?
    package var response: Response?

    package init(
        title: String = "Customer segmentation report", provenance: Provenance, dataQuality: DataQuality? = nil,
        principalComponents: PrincipalComponents? = nil, segments: Segments? = nil, response: Response? = nil
    ) {
        self.title = title
        self.provenance = provenance
        self.dataQuality = dataQuality
        self.principalComponents = principalComponents
        self.segments = segments
        self.response = response
    }
}
