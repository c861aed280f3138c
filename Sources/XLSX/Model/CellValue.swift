/// The value of one spreadsheet cell, as a reader of the file sees it.
///
/// Formula cells carry their cached result (the formula text is not kept);
/// cells with only a style are `nil` in a ``Worksheet``, never a case here.
public enum CellValue: Sendable, Hashable {
    /// A number (`t="n"` or no type). Integers are exact doubles.
    case number(Double)
    /// Text from the shared-string table, an inline string or a `t="str"` formula result.
    case text(String)
    /// A boolean (`t="b"`).
    case bool(Bool)
    /// An error value such as `#N/A` (`t="e"`).
    case error(String)
    /// A number whose number format is a date or time format.
    case date(ExcelDate)
}

/// A date, date-time or time stored as an Excel serial number.
///
/// Kept as the serial and the workbook's date system so nothing is lost;
/// ``isoString`` renders it the way openpyxl does (`2017-03-01T00:00:00`, `13:45:30`).
public struct ExcelDate: Sendable, Hashable {
    /// Which parts the cell's number format shows: how ``isoString`` renders the serial.
    public enum Kind: Sendable, Hashable { case date, dateTime, time }

    /// Days since the workbook's epoch; the fraction is the time of day.
    public var serial: Double
    /// True in the 1904 date system (serial 0 is 1904-01-01), false in the 1900 system.
    public var date1904: Bool
    /// Date, date-time or time, from the cell's number format.
    public var kind: Kind

    /// A date from its serial number and the workbook's date system.
    public init(serial: Double, date1904: Bool, kind: Kind) {
        self.serial = serial
        self.date1904 = date1904
        self.kind = kind
    }

    /// Days and seconds since 1899-12-31 (1900 system, with Lotus' phantom 1900-02-29)
    /// or 1904-01-01, rendered as an ISO 8601 string.
    public var isoString: String {
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 { days += 1; seconds -= 86_400 }
        let time = String(
            format2(seconds / 3600) + ":" + format2(seconds / 60 % 60) + ":" + format2(seconds % 60))
        if kind == .time && days == 0 { return time }
        // Days since 1970-01-01 of the serial's epoch.
        let epochOffset: Int
        if date1904 {
            epochOffset = -24_107  // 1904-01-01
        } else {
            epochOffset = days < 61 ? -25_568 : -25_569  // 1899-12-31, or 1899-12-30 after the phantom leap day
        }
        let (y, m, d) = civilFromDays(days + epochOffset)
        return "\(y)-\(format2(m))-\(format2(d))T\(time)"
    }
}

private func format2(_ value: Int) -> String {
    value < 10 ? "0\(value)" : "\(value)"
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
private func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
}
