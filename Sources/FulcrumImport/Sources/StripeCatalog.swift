/// Stripe prices and subscription items, read before the subscriptions so a
/// subscription's price can be computed from its items: Stripe's subscriptions
/// export flattens at most one item (`plan.*`), while a subscription may have a
/// base plan and add-ons. The catalog is a lookup, not a table of its own.
public final class StripeCatalog: @unchecked Sendable {
    public struct Price: Sendable, Equatable {
        public var unitAmount: Int64
        public var currency: String
        public var interval: String
        public var intervalCount: Int64
        public var product: String?
    }

    public struct Item: Sendable, Equatable {
        public var price: String
        public var quantity: Int64
    }

    /// What the items of one subscription add up to.
    public struct Total: Sendable, Equatable {
        public var amountMinor: Int64
        public var quantity: Int64
        public var currency: String
        public var interval: String
        public var intervalCount: Int64
        public var plan: String
        public var product: String?
    }

    public private(set) var prices: [String: Price] = [:]
    public private(set) var items: [String: [Item]] = [:]
    /// Subscriptions whose items name prices outside the prices export, which kept their own row's price.
    public private(set) var keptOwnPrice: [String] = []

    public init() {}

    public static let priceFiles = ["prices", "price", "plans"]
    public static let itemFiles = ["subscription_items", "subscription_item", "subscriptionitems"]

    public static func isCatalogFile(_ path: String) -> Bool {
        let key = FileMapping.normalize(path)
        return (priceFiles + itemFiles).map(FileMapping.normalize).contains(key)
    }

    /// Reads a prices or subscription-items export; every problem is positioned.
    public func load(path: String) throws(ImportProblem) {
        let reader: CSVReader
        do { reader = try CSVReader(path: path, options: CSVReader.Options(caseInsensitiveHeaders: true)) } catch {
            throw ImportProblem(error)
        }
        let isPrices = Self.priceFiles.map(FileMapping.normalize).contains(FileMapping.normalize(path))
        func column(_ names: [String]) -> Int? {
            names.lazy.compactMap { reader.header.column(named: $0)?.index }.first
        }
        func need(_ names: [String]) throws(ImportProblem) -> Int {
            guard let i = column(names) else {
                throw ImportProblem(
                    file: path, line: reader.header.line, column: 1,
                    reason:
                        "missing required column '\(names[0])' (header has: \(reader.header.names.joined(separator: ", ")))"
                )
            }
            return i
        }
        let id = try need(["id"])
        if isPrices {
            let amount = try need(["unit_amount", "amount"])
            let currency = try need(["currency"])
            let interval = try need(["recurring.interval", "recurring_interval", "interval"])
            let count = column(["recurring.interval_count", "recurring_interval_count", "interval_count"])
            let product = column(["product"])
            while let record = try next(reader) {
                func int(_ i: Int, _ what: String) throws(ImportProblem) -> Int64 {
                    switch IntegerParser.parse(record.fields[i]) {
                    case .success(let v): return v
                    case .failure(let e):
                        let p = record.fieldPositions[i]
                        throw ImportProblem(
                            file: path, line: p.line, column: p.column, reason: "\(what): \(e.message)",
                            original: record.fields)
                    }
                }
                prices[record.fields[id]] = Price(
                    unitAmount: try int(amount, "unit_amount"), currency: record.fields[currency].uppercased(),
                    interval: record.fields[interval].lowercased(),
                    intervalCount: try count.map { i throws(ImportProblem) in
                        record.fields[i].isEmpty ? 1 : try int(i, "interval_count")
                    } ?? 1,
                    product: product.map { record.fields[$0] })
            }
        } else {
            let subscription = try need(["subscription"])
            let price = try need(["price.id", "price", "plan.id", "plan"])
            let quantity = column(["quantity"])
            while let record = try next(reader) {
                var q: Int64 = 1
                if let quantity, !record.fields[quantity].isEmpty {
                    guard case .success(let v) = IntegerParser.parse(record.fields[quantity]) else {
                        let p = record.fieldPositions[quantity]
                        throw ImportProblem(
                            file: path, line: p.line, column: p.column,
                            reason: "quantity: not an integer: '\(record.fields[quantity])'",
                            original: record.fields)
                    }
                    q = v
                }
                items[record.fields[subscription], default: []].append(Item(price: record.fields[price], quantity: q))
            }
        }
    }

    private func next(_ reader: CSVReader) throws(ImportProblem) -> CSVRecord? {
        do { return try reader.next() } catch { throw ImportProblem(error) }
    }

    /// The subscription's price per billing period from its items (Σ unit amount × quantity; the quantity and plan are
    /// the first item's, the base plan's), or a reason it cannot be
    /// computed (an unknown price, items in different currencies or intervals).
    public func total(subscription: String) -> Result<Total, ValueError>? {
        guard let list = items[subscription], !list.isEmpty else { return nil }
        var total: Total?
        for item in list {
            guard let price = prices[item.price] else {
                return .failure(ValueError("item price '\(item.price)' is not in the prices export"))
            }
            let (amount, overflow) = price.unitAmount.multipliedReportingOverflow(by: item.quantity)
            if overflow { return .failure(ValueError("item amount overflows")) }
            if var t = total {
                guard t.currency == price.currency, t.interval == price.interval, t.intervalCount == price.intervalCount
                else {
                    return .failure(ValueError("items with different currencies or billing intervals"))
                }
                t.amountMinor += amount
                total = t
            } else {
                total = Total(
                    amountMinor: amount, quantity: item.quantity, currency: price.currency, interval: price.interval,
                    intervalCount: price.intervalCount, plan: item.price, product: price.product)
            }
        }
        return .success(total!)
    }
}

extension StripeCatalog {
    /// Canonical subscription columns the catalog fills.
    public static let filledColumns: Set<String> = [
        "amount_minor", "quantity", "currency", "interval", "interval_count", "plan",
    ]

    /// Replaces a subscription row's price columns with its items' total.
    func enrich(_ cells: inout [SourceCell], file: String, line: Int, original: [String]) -> ImportProblem? {
        guard let idCell = cells.first(where: { $0.column == "id" }), let result = total(subscription: idCell.text)
        else { return nil }
        // An item whose price the prices export does not include (an archived or filtered price): the
        // subscription keeps the price its own row gives, when it gives one, and the import says how many.
        if case .failure = result, let list = items[idCell.text], list.contains(where: { prices[$0.price] == nil }),
            cells.contains(where: { $0.column == "amount_minor" && !$0.text.isEmpty })
        {
            keptOwnPrice.append(idCell.text)
            return nil
        }
        switch result {
        case .failure(let e):
            return ImportProblem(
                file: file, line: idCell.line, column: idCell.columnNumber, reason: "subscription items: \(e.message)",
                original: original)
        case .success(let t):
            var values: [(String, String)] = [
                ("amount_minor", String(t.amountMinor)), ("quantity", String(t.quantity)), ("currency", t.currency),
                ("interval", t.interval), ("interval_count", String(t.intervalCount)), ("plan", t.plan),
            ]
            if let product = t.product, !product.isEmpty { values.append(("product", product)) }
            for (column, text) in values {
                if let i = cells.firstIndex(where: { $0.column == column }) {
                    cells[i].text = text
                    cells[i].hint = .none
                } else {
                    cells.append(
                        SourceCell(column: column, text: text, line: idCell.line, columnNumber: idCell.columnNumber))
                }
            }
            return nil
        }
    }
}
