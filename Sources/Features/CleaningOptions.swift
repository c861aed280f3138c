/// Choices of the cleaning fit; the defaults are what analysts of these files usually do.
package struct CleaningOptions: Sendable, Hashable, Codable {
    /// Columns missing in more than this share of the population are dropped.
    package var maxColumnMissingShare: Double = 0.30
    /// Rows missing more than this share of their kept columns get the "insufficient data"
    /// segment and are left out of the imputation and scaling statistics.
    package var maxRowMissingShare: Double = 0.50
    /// Drop numeric columns that have no metadata entry (the seed notebook did); by default
    /// they are kept, since many (KBA13 counts, D19 scores) carry signal.
    package var dropColumnsWithoutMetadata: Bool = false
    /// Treat tokens that are neither numbers nor known markers as errors instead of missing.
    package var strict: Bool = false
    /// The person id column.
    package var idColumn: String = "LNR"
    /// Columns that are never features: labels and file-specific extras.
    package var excludedColumns: [String] = ["RESPONSE", "PRODUCT_GROUP", "CUSTOMER_GROUP", "ONLINE_PURCHASE"]

    package init() {}
}
