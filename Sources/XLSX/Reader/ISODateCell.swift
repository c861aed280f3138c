/// Cells of type `t="d"` hold an ISO 8601 date, date-time or time instead of a serial;
/// they are turned into the same serial-based ``ExcelDate`` as number-formatted cells.
enum ISODateCell {
    static func date(_ text: String, date1904: Bool) -> ExcelDate? {
        let bytes = Array(text.utf8)
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= bytes.count else { return nil }
            var value = 0
            for k in i..<i + width {
                guard bytes[k] >= 0x30 && bytes[k] <= 0x39 else { return nil }
                value = value * 10 + Int(bytes[k] - 0x30)
            }
            i += width
            return value
        }
        func expect(_ char: Character) -> Bool {
            guard i < bytes.count, bytes[i] == char.asciiValue else { return false }
            i += 1
            return true
        }
        var days: Int?
        var seconds = 0.0
        var hasTime = false
        if bytes.count >= 10 && bytes[4] == UInt8(ascii: "-") {
            guard let y = number(4), expect("-"), let m = number(2), expect("-"), let d = number(2),
                (1...12).contains(m), (1...31).contains(d)
            else { return nil }
            days = daysFromCivil(y, m, d)
            guard expect("T") || expect(" ") else { return i == bytes.count ? finish() : nil }
        }
        guard let h = number(2), expect(":"), let mi = number(2) else { return nil }
        var s = 0.0
        if expect(":"), let whole = number(2) {
            s = Double(whole)
            if expect(".") {
                var scale = 0.1
                while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                    s += Double(bytes[i] - 0x30) * scale
                    scale /= 10
                    i += 1
                }
            }
        }
        hasTime = true
        seconds = Double(h * 3600 + mi * 60) + s
        if i < bytes.count && bytes[i] == UInt8(ascii: "Z") { i += 1 }
        guard i == bytes.count else { return nil }
        return finish()

        func finish() -> ExcelDate? {
            let fraction = seconds / 86_400
            guard let days else {
                return ExcelDate(serial: fraction, date1904: date1904, kind: .time)
            }
            let serialDays: Int
            if date1904 {
                serialDays = days - daysFromCivil(1904, 1, 1)
            } else {
                // Serial 1 is 1900-01-01 and serial 60 the phantom 1900-02-29 Lotus invented,
                // so from 1900-03-01 on serials count from 1899-12-30.
                let fromLateEpoch = days - daysFromCivil(1899, 12, 30)
                serialDays = fromLateEpoch >= 61 ? fromLateEpoch : fromLateEpoch - 1
            }
            return ExcelDate(
                serial: Double(serialDays) + fraction, date1904: date1904, kind: hasTime ? .dateTime : .date)
        }
    }

    /// Howard Hinnant's civil-to-days algorithm: days since 1970-01-01.
    private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
