/// The page's only style: readable on a laptop, and on paper (A4, figures kept whole, each
/// part starting on a new page, colours printed).
enum Stylesheet {
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 980px; padding: 24px 32px 48px; color: #222; background: #fff;
          font: 15px/1.5 "DejaVu Sans", Verdana, Arial, Helvetica, sans-serif; }
        header { border-bottom: 2px solid #0072B2; margin-bottom: 16px; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 21px; margin: 40px 0 8px; padding-top: 8px; border-top: 1px solid #ddd; }
        h3 { font-size: 17px; margin: 24px 0 6px; }
        h4 { font-size: 15px; margin: 0 0 4px; }
        .subtitle { color: #555; margin: 0 0 12px; }
        nav ol { display: flex; flex-wrap: wrap; gap: 4px 20px; padding: 0; margin: 0 0 12px; list-style: none; }
        nav a { color: #0072B2; text-decoration: none; }
        code, .attr { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em; }
        figure { margin: 16px 0 24px; }
        figure svg.chart { display: block; max-width: 100%; height: auto; }
        figcaption { color: #444; font-size: 13px; margin-top: 4px; max-width: 800px; }
        table { border-collapse: collapse; margin: 8px 0 20px; font-size: 13px; }
        caption { text-align: left; font-weight: bold; padding-bottom: 4px; white-space: nowrap; }
        th, td { padding: 3px 10px; border-bottom: 1px solid #e3e3e3; text-align: left; vertical-align: top; }
        th { border-bottom: 1.5px solid #444; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tbody tr:nth-child(even) { background: #f7f7f7; }
        details { margin: 8px 0 20px; }
        summary { cursor: pointer; color: #0072B2; }
        .warning { color: #8a1c00; background: #fde8e0; padding: 8px 12px; border-left: 3px solid #D55E00; font-weight: 600; }
        .unavailable { color: #8a4b00; background: #fff4e0; padding: 8px 12px; border-left: 3px solid #E69F00; }
        .segments { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 12px 24px; }
        .segment { border: 1px solid #ddd; border-radius: 4px; padding: 10px 14px; }
        .segment.core { border-color: #0072B2; border-width: 2px; }
        .segment p { margin: 0 0 6px; }
        .segment ul { margin: 0; padding-left: 18px; font-size: 14px; }
        .label { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 3px; background: #eee; }
        .label.core { background: #0072B2; color: #fff; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
        dl.facts dt { color: #555; }
        dl.facts dd { margin: 0; }
        footer { margin-top: 40px; color: #777; font-size: 12px; }
        @page { size: A4; margin: 14mm; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          nav { display: none; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          section { break-before: page; }
          section:first-of-type { break-before: auto; }
          h2, h3, h4, caption { break-after: avoid; }
          figure, .segment, tr, table.keep { break-inside: avoid; page-break-inside: avoid; }
          thead { display: table-header-group; }
          tbody tr:nth-child(even) { background: none; }
          .segments { display: block; }
          .segment { margin-bottom: 8px; }
          a { color: inherit; text-decoration: none; }
        }
        """
}
