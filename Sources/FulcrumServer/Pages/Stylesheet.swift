/// The dashboard's stylesheet, served by the binary (no CDN, no web fonts). Colours meet WCAG AA
/// contrast for text; the chart palette is distinguishable for the common colour-vision deficiencies.
enum Stylesheet {
    static let css = """
        :root {
          --ink: #1b2330; --muted: #5a6473; --line: #dfe3ea; --bg: #f5f7fa; --card: #ffffff;
          --brand: #1f4fd1; --brand-ink: #ffffff; --pos: #1b7f4b; --neg: #b4232c; --total: #3b4a63;
          --s0: #1f4fd1; --s1: #1b9e77; --s2: #7570b3; --s3: #e6a100; --s4: #c8412c; --s5: #5a6473;
        }
        * { box-sizing: border-box; }
        html { font-size: 15px; }
        body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          color: var(--ink); background: var(--bg); line-height: 1.45; }
        a { color: var(--brand); }
        a:focus, button:focus, input:focus, select:focus { outline: 3px solid #f0b400; outline-offset: 1px; }
        .skip { position: absolute; left: -9999px; }
        .skip:focus { left: 8px; top: 8px; background: #fff; padding: 6px 10px; z-index: 10; }
        header.top { display: flex; align-items: center; gap: 24px; padding: 10px 28px; background: #0f1b33; color: #fff; }
        header.top .brand { color: #fff; text-decoration: none; font-weight: 700; font-size: 1.2rem; letter-spacing: .02em; }
        header.top .mark { color: #7fa5ff; }
        header.top nav { display: flex; gap: 4px; flex-wrap: wrap; }
        header.top nav a { color: #d6defa; text-decoration: none; padding: 6px 12px; border-radius: 6px; }
        header.top nav a:hover { background: #1d2c4d; color: #fff; }
        header.top nav a[aria-current=page] { background: #2a3d66; color: #fff; font-weight: 600; }
        header.top .asof { margin-left: auto; color: #b8c2d9; font-size: .9rem; }
        form.filters { display: flex; flex-wrap: wrap; align-items: end; gap: 12px; padding: 12px 28px;
          background: #fff; border-bottom: 1px solid var(--line); }
        form.filters.inline { padding: 0 0 16px; background: none; border: 0; }
        form label { display: inline-flex; flex-direction: column; font-size: .8rem; color: var(--muted); gap: 2px; }
        input, select { font: inherit; color: var(--ink); padding: 5px 8px; border: 1px solid #aab3c2; border-radius: 6px; background: #fff; }
        button, .button { font: inherit; background: var(--brand); color: var(--brand-ink); border: 0; border-radius: 6px;
          padding: 7px 16px; cursor: pointer; text-decoration: none; display: inline-block; }
        .reset { font-size: .9rem; align-self: center; }
        main { padding: 20px 28px 40px; max-width: 1400px; }
        h1 { font-size: 1.6rem; margin: 6px 0 16px; }
        h1 .sub { font-size: 1rem; font-weight: 400; color: var(--muted); margin-left: 8px; }
        h2 { font-size: 1.05rem; margin: 0 0 12px; }
        h2 a { color: inherit; text-decoration: none; border-bottom: 1px dotted #8a94a6; }
        .lead { color: var(--muted); max-width: 900px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin-bottom: 18px;
          box-shadow: 0 1px 2px rgba(16, 24, 40, .04); }
        a.def { display: inline-block; width: 1.2em; height: 1.2em; line-height: 1.2em; text-align: center; border-radius: 50%;
          background: #e6edff; color: #1d3f9e; font-size: .75rem; text-decoration: none; }
        .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin-bottom: 18px; }
        .kpi { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; display: flex; flex-direction: column; gap: 2px; }
        .kpi-label { color: var(--muted); font-size: .85rem; text-decoration: none; }
        .kpi-label:hover { text-decoration: underline; }
        .kpi-value { font-size: 1.55rem; font-weight: 650; font-variant-numeric: tabular-nums; }
        .kpi-note { color: var(--muted); font-size: .75rem; }
        .grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 18px; }
        .grid3 { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 18px; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: .9rem; }
        caption { text-align: left; color: var(--muted); font-size: .8rem; padding-bottom: 6px; }
        th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
        thead th { background: #f0f3f8; font-weight: 600; position: sticky; top: 0; }
        thead th a { color: var(--ink); }
        th.num, td.num { text-align: right; }
        th.text, td.text { text-align: left; }
        tbody th { font-weight: 500; }
        tbody tr:hover { background: #f7f9fc; }
        tr.partial { color: var(--muted); font-style: italic; }
        .muted { color: var(--muted); }
        .small { font-size: .8rem; }
        .error { color: var(--neg); font-weight: 600; }
        .note { color: var(--muted); font-size: .85rem; }
        details.settings { margin-top: 10px; font-size: .85rem; }
        details.settings summary { cursor: pointer; color: var(--muted); }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 8px 0; }
        dt { font-weight: 600; }
        dd { margin: 0; }
        .downloads { font-size: .85rem; margin: 8px 0 0; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: .8rem; background: #e8ecf3; color: var(--ink); vertical-align: middle; }
        .badge.customer, .badge.succeeded { background: #dff3e8; color: #14613a; }
        .badge.churned, .badge.failed { background: #fbe3e4; color: #8f1c23; }
        .badge.prospect, .badge.running, .badge.queued { background: #e6edff; color: #1d3f9e; }
        .badge.stage { background: #0f1b33; color: #fff; font-size: .85rem; }
        .facts { color: var(--muted); margin-top: -8px; }
        .crumbs { margin: 0; font-size: .9rem; }
        .pager { display: flex; gap: 16px; align-items: center; margin-top: 12px; }
        svg.chart { width: 100%; height: auto; max-height: 340px; display: block; }
        svg.chart.bars { max-width: 520px; max-height: none; }
        svg .grid { stroke: #e6e9ef; stroke-width: 1; }
        svg .axis, svg .zero { stroke: #8a94a6; stroke-width: 1; }
        svg .tick, svg .legend, svg .note { fill: #4a5361; font-size: 11px; }
        svg .value { fill: var(--ink); font-size: 11px; font-weight: 600; }
        svg .line { fill: none; stroke-width: 2.5; }
        svg .area { opacity: .12; }
        svg .s0 { fill: var(--s0); stroke: var(--s0); } svg .s1 { fill: var(--s1); stroke: var(--s1); }
        svg .s2 { fill: var(--s2); stroke: var(--s2); } svg .s3 { fill: var(--s3); stroke: var(--s3); }
        svg .s4 { fill: var(--s4); stroke: var(--s4); } svg .s5 { fill: var(--s5); stroke: var(--s5); }
        svg .line.s0, svg .line.s1 { fill: none; }
        svg .dot { stroke: #fff; stroke-width: 1.5; }
        svg .pos { fill: var(--pos); } svg .neg { fill: var(--neg); } svg .total { fill: var(--total); }
        svg rect.bar:hover, svg circle:hover { opacity: .8; }
        table.heatmap td.heat { color: #10213f; }
        .h0 { background: #fdecea; } .h1 { background: #fbe0dc; } .h2 { background: #f6f0d9; } .h3 { background: #eaf3dc; }
        .h4 { background: #d7ecd9; } .h5 { background: #bfe0c9; } .h6 { background: #9fd0b2; }
        table.heatmap td.h7 { background: #5fae86; color: #fff; } table.heatmap td.h8 { background: #2f8a5f; color: #fff; }
        td.blank { background: #fafbfc; }
        ol.timeline { list-style: none; padding: 0; margin: 0; max-height: 560px; overflow-y: auto; }
        ol.timeline li { display: grid; grid-template-columns: 100px 140px 1fr auto; gap: 10px; padding: 5px 0; border-bottom: 1px solid var(--line); font-size: .88rem; }
        ol.timeline time { color: var(--muted); font-variant-numeric: tabular-nums; }
        ol.timeline .kind { font-weight: 600; }
        ol.timeline .rec { color: #8a94a6; font-size: .75rem; }
        li.payment .kind, li.subscription .kind { color: var(--pos); }
        li.ticket .kind { color: var(--neg); }
        li.deal .kind, li.deal-stage .kind { color: var(--brand); }
        nav.toc { display: flex; flex-wrap: wrap; gap: 6px 10px; margin-bottom: 18px; font-size: .85rem; }
        article.definition:target { outline: 3px solid #f0b400; }
        pre { background: #0f1b33; color: #e6ecff; padding: 12px; border-radius: 8px; overflow-x: auto; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; }
        footer { padding: 16px 28px; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); }
        progress { width: 320px; height: 14px; }
        """
}
