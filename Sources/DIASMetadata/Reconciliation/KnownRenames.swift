/// Data columns whose metadata attribute has a different name, beyond the `_RZ` suffix rule.
///
/// These are the five renames between the Arvato CSV files and the DIAS 2017 workbooks
/// (see /work/shared/arvato/README.md and the `renamed` entries of schema.json). This table
/// is the one place they are written down.
package enum KnownRenames {
    /// Data column name → metadata attribute name.
    package static let metadataNameForDataColumn: [String: String] = [
        "CAMEO_INTL_2015": "CAMEO_DEUINTL_2015",
        "D19_BUCH_CD": "D19_BUCH_RZ",
        "KBA13_CCM_1401_2500": "KBA13_CCM_1400_2500",
        "SOHO_KZ": "SOHO_FLAG",
        "KK_KUNDENTYP": "D19_KK_KUNDENTYP",
    ]

    /// The metadata suffix of the D19 transaction-activity attributes the data names
    /// without it (`D19_KOSMETIK_RZ` for the data's `D19_KOSMETIK`).
    package static let metadataSuffix = "_RZ"
}
