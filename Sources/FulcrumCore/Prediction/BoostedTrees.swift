import Dispatch
import Foundation

/// Gradient-boosted trees for a 1/0 outcome with histogram splits (the method of LightGBM and
/// scikit-learn's `HistGradientBoostingClassifier`): features binned once into at most 255 bins plus
/// one for missing values, trees grown leaf-wise by the best log-loss gain, child histograms by
/// subtraction, shrinkage, and early stopping on a held-out part of the training rows.
public struct BoostedTrees: Sendable, Hashable, Codable {
    public struct Node: Sendable, Hashable, Codable {
        /// -1 for a leaf.
        public var feature: Int
        /// Rows with value ≤ threshold go left.
        public var threshold: Double
        public var missingGoesLeft: Bool
        public var left: Int
        public var right: Int
        /// Leaf output in log-odds (learning rate applied).
        public var value: Double
        /// Training rows that reached the node (TreeSHAP's weights).
        public var cover: Double
    }

    public struct Tree: Sendable, Hashable, Codable {
        public var nodes: [Node]

        public func leafValue(_ row: ArraySlice<Double>) -> Double {
            var i = 0
            let base = row.startIndex
            while nodes[i].feature >= 0 {
                let n = nodes[i]
                let v = row[base + n.feature]
                i = v.isNaN ? (n.missingGoesLeft ? n.left : n.right) : (v <= n.threshold ? n.left : n.right)
            }
            return nodes[i].value
        }
    }

    public struct Parameters: Sendable, Hashable, Codable {
        public var learningRate = 0.1
        public var maxIterations = 200
        public var maxLeafNodes = 31
        public var minSamplesLeaf = 20
        public var l2 = 0.0
        public var maxBins = 255
        /// Share of training rows held out for early stopping (0 turns it off).
        public var validationFraction = 0.1
        public var patience = 10
        public var tolerance = 1e-7
        public var seed: UInt64 = 42
        public init() {}
    }

    public var baseScore: Double
    public var trees: [Tree]
    /// Iterations run before early stopping, and the validation log loss of the kept model.
    public var iterationsRun = 0
    public var validationLoss: Double?

    public func logit(_ row: ArraySlice<Double>) -> Double {
        var z = baseScore
        for t in trees { z += t.leafValue(row) }
        return z
    }

    public func probability(_ row: ArraySlice<Double>) -> Double { sigmoid(logit(row)) }

    // MARK: Fitting

    /// Fits on `x` (row-major, NaN = missing) and 1/0 `y`.
    public static func fit(x: [Double], columns k: Int, y: [Double], parameters: Parameters = Parameters())
        -> BoostedTrees
    {
        let n = y.count
        precondition(x.count == n * k)
        // Stratified hold-out for early stopping, chosen by a seeded shuffle.
        var trainRows = Array(0..<n)
        var validRows: [Int] = []
        if parameters.validationFraction > 0, n >= 50 {
            var rng = SplitMix(seed: parameters.seed)
            var byClass: [[Int]] = [[], []]
            for i in 0..<n { byClass[y[i] == 1 ? 1 : 0].append(i) }
            trainRows = []
            for var rows in byClass {
                for i in stride(from: rows.count - 1, to: 0, by: -1) { rows.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
                let cut = Int((Double(rows.count) * parameters.validationFraction).rounded(.up))
                validRows += rows.prefix(cut)
                trainRows += rows.dropFirst(cut)
            }
            trainRows.sort()
            validRows.sort()
        }
        let binner = Binner(x: x, columns: k, rows: trainRows, maxBins: parameters.maxBins)
        let trainBins = binner.bin(x: x, columns: k, rows: trainRows)
        let validBins = binner.bin(x: x, columns: k, rows: validRows)
        let yt = trainRows.map { y[$0] }
        let yv = validRows.map { y[$0] }
        let rate = min(max(yt.reduce(0, +) / Double(max(1, yt.count)), 1e-6), 1 - 1e-6)
        let base = Foundation.log(rate / (1 - rate))
        var rawTrain = [Double](repeating: base, count: yt.count)
        var rawValid = [Double](repeating: base, count: yv.count)
        var trees: [Tree] = []
        var binnedTrees: [[BinnedNode]] = []
        var best = Double.infinity
        var bestCount = 0
        var sinceBest = 0
        var iterations = 0
        var gradients = [Double](repeating: 0, count: yt.count)
        var hessians = [Double](repeating: 0, count: yt.count)
        for _ in 0..<parameters.maxIterations {
            iterations += 1
            for i in 0..<yt.count {
                let p = sigmoid(rawTrain[i])
                gradients[i] = p - yt[i]
                hessians[i] = max(p * (1 - p), 1e-16)
            }
            var grower = TreeGrower(
                bins: trainBins, rows: yt.count, columns: k, binCounts: binner.binCounts, gradients: gradients,
                hessians: hessians, parameters: parameters)
            let (nodes, leafRows) = grower.grow()
            for (leaf, rows) in leafRows {
                let v = nodes[leaf].value
                for r in rows { rawTrain[Int(r)] += v }
            }
            binnedTrees.append(nodes)
            trees.append(Tree(nodes: nodes.map { binner.realNode($0) }))
            guard !yv.isEmpty else { continue }
            var loss = 0.0
            for i in 0..<yv.count {
                rawValid[i] += BinnedNode.leafValue(nodes, validBins, row: i, rows: yv.count)
                loss += softplus(rawValid[i]) - yv[i] * rawValid[i]
            }
            loss /= Double(yv.count)
            if loss < best - parameters.tolerance {
                best = loss
                bestCount = trees.count
                sinceBest = 0
            } else {
                sinceBest += 1
                if sinceBest >= parameters.patience { break }
            }
        }
        if !yv.isEmpty { trees = Array(trees.prefix(bestCount)) }
        return BoostedTrees(
            baseScore: base, trees: trees, iterationsRun: iterations, validationLoss: yv.isEmpty ? nil : best)
    }
}

/// A tree node during growth: split by bin index.
struct BinnedNode {
    var feature = -1
    var bin: UInt8 = 0
    var missingGoesLeft = true
    var left = -1
    var right = -1
    var value = 0.0
    var cover = 0.0

    static func leafValue(_ nodes: [BinnedNode], _ bins: [UInt8], row: Int, rows: Int) -> Double {
        var i = 0
        while nodes[i].feature >= 0 {
            let n = nodes[i]
            let b = bins[n.feature * rows + row]
            i = b == Binner.missing ? (n.missingGoesLeft ? n.left : n.right) : (b <= n.bin ? n.left : n.right)
        }
        return nodes[i].value
    }
}

/// Per-feature bin edges from the training rows: distinct values' midpoints when there are few,
/// else quantiles. Bin b holds values ≤ edges[b] (and above edges[b − 1]); NaN goes to `missing`.
struct Binner {
    static let missing: UInt8 = 255
    var edges: [[Double]]
    var binCounts: [Int] { edges.map { $0.count + 1 } }

    init(x: [Double], columns k: Int, rows: [Int], maxBins: Int) {
        let limit = min(maxBins, 255)
        // Like scikit-learn, edges come from at most 200,000 rows (an even stride through them).
        let sample =
            rows.count > 200_000 ? stride(from: 0, to: rows.count, by: rows.count / 200_000 + 1).map { rows[$0] } : rows
        edges = (0..<k).map { f in
            var values = sample.compactMap { r -> Double? in
                let v = x[r * k + f]
                return v.isNaN ? nil : v
            }
            values.sort()
            var distinct: [Double] = []
            for v in values where distinct.last != v { distinct.append(v) }
            guard distinct.count > 1 else { return [] }
            if distinct.count <= limit {
                return (0..<(distinct.count - 1)).map { (distinct[$0] + distinct[$0 + 1]) / 2 }
            }
            var cuts: [Double] = []
            for q in 1..<limit {
                let position = Double(q) / Double(limit) * Double(values.count - 1)
                let lo = values[Int(position)]
                let hi = values[min(values.count - 1, Int(position) + 1)]
                let cut = (lo + hi) / 2
                if cuts.last.map({ cut > $0 }) ?? true, cut < distinct.last! { cuts.append(cut) }
            }
            return cuts
        }
    }

    /// Column-major bins of the given rows.
    func bin(x: [Double], columns k: Int, rows: [Int]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: k * rows.count)
        for f in 0..<k {
            let e = edges[f]
            for (i, r) in rows.enumerated() {
                let v = x[r * k + f]
                if v.isNaN {
                    out[f * rows.count + i] = Self.missing
                    continue
                }
                var lo = 0
                var hi = e.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if v <= e[mid] { hi = mid } else { lo = mid + 1 }
                }
                out[f * rows.count + i] = UInt8(lo)
            }
        }
        return out
    }

    func realNode(_ b: BinnedNode) -> BoostedTrees.Node {
        BoostedTrees.Node(
            feature: b.feature, threshold: b.feature >= 0 ? edges[b.feature][Int(b.bin)] : 0,
            missingGoesLeft: b.missingGoesLeft, left: b.left, right: b.right, value: b.value, cover: b.cover)
    }
}

/// Grows one tree leaf-wise from gradient and hessian histograms.
struct TreeGrower {
    let bins: [UInt8]
    let rows: Int
    let columns: Int
    let binCounts: [Int]
    let gradients: [Double]
    let hessians: [Double]
    let parameters: BoostedTrees.Parameters

    /// Histogram of one node: per feature 256 slots of (gradient, hessian, count), interleaved so one row's
    /// update touches one place.
    struct Histogram {
        var slots: [Double]
    }

    struct Split {
        var gain: Double
        var feature: Int
        var bin: UInt8
        var missingGoesLeft: Bool
    }

    struct Leaf {
        var node: Int
        var rows: [Int32]
        var histogram: Histogram
        var g: Double
        var h: Double
        var split: Split?
    }

    /// The histogram's memory, shared by the threads of one build; each thread writes its own features' slots.
    struct Slots: @unchecked Sendable {
        let base: UnsafeMutablePointer<Double>
    }

    /// Adds one feature's rows to its slots. `ordered`: the node's gradients and hessians gathered in row-list
    /// order (one gather per node instead of one per feature); nil for the root, whose rows are all, in order.
    /// Odd rows go to a second, private histogram added in at the end: neighbouring rows often share a bin,
    /// and two sets of sums let their additions overlap instead of waiting on each other.
    func accumulate(_ f: Int, _ rowList: [Int32], _ ordered: (g: [Double], h: [Double])?, _ slots: Slots) {
        let column = f * rows
        let out = slots.base + f * 768
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 768) { spare in
            let second = spare.baseAddress!
            second.initialize(repeating: 0, count: 768)
            bins.withUnsafeBufferPointer { b in
                @inline(__always) func add(
                    _ g: UnsafeBufferPointer<Double>, _ h: UnsafeBufferPointer<Double>, _ count: Int,
                    _ row: (Int) -> Int
                ) {
                    var i = 0
                    while i + 1 < count {
                        let s0 = Int(b[column + row(i)]) &* 3
                        let s1 = Int(b[column + row(i + 1)]) &* 3
                        out[s0] += g[i]
                        out[s0 &+ 1] += h[i]
                        out[s0 &+ 2] += 1
                        second[s1] += g[i + 1]
                        second[s1 &+ 1] += h[i + 1]
                        second[s1 &+ 2] += 1
                        i += 2
                    }
                    if i < count {
                        let s0 = Int(b[column + row(i)]) &* 3
                        out[s0] += g[i]
                        out[s0 &+ 1] += h[i]
                        out[s0 &+ 2] += 1
                    }
                }
                if let ordered {
                    ordered.g.withUnsafeBufferPointer { gr in
                        ordered.h.withUnsafeBufferPointer { he in
                            rowList.withUnsafeBufferPointer { list in add(gr, he, list.count) { Int(list[$0]) } }
                        }
                    }
                } else {
                    gradients.withUnsafeBufferPointer { gr in
                        hessians.withUnsafeBufferPointer { he in add(gr, he, rows) { $0 } }
                    }
                }
            }
            for slot in 0..<768 { out[slot] += second[slot] }
        }
    }

    func histogram(_ rowList: [Int32]) -> Histogram {
        var hist = Histogram(slots: [Double](repeating: 0, count: columns * 768))
        var ordered: (g: [Double], h: [Double])?
        if rowList.count < rows {
            var g = [Double](repeating: 0, count: rowList.count)
            var h = [Double](repeating: 0, count: rowList.count)
            gradients.withUnsafeBufferPointer { gr in
                hessians.withUnsafeBufferPointer { he in
                    for (i, r) in rowList.enumerated() {
                        g[i] = gr[Int(r)]
                        h[i] = he[Int(r)]
                    }
                }
            }
            ordered = (g, h)
        }
        let gathered = ordered
        hist.slots.withUnsafeMutableBufferPointer { buffer in
            let slots = Slots(base: buffer.baseAddress!)
            if rowList.count * columns >= 100_000, columns > 1 {
                DispatchQueue.concurrentPerform(iterations: columns) { f in accumulate(f, rowList, gathered, slots) }
            } else {
                for f in 0..<columns { accumulate(f, rowList, gathered, slots) }
            }
        }
        return hist
    }

    func subtract(_ parent: Histogram, _ child: Histogram) -> Histogram {
        var out = parent
        out.slots.withUnsafeMutableBufferPointer { o in
            child.slots.withUnsafeBufferPointer { c in
                for i in 0..<o.count { o[i] -= c[i] }
            }
        }
        return out
    }

    func bestSplit(_ hist: Histogram, g total: Double, h hessian: Double, count: Int) -> Split? {
        let minLeaf = Double(parameters.minSamplesLeaf)
        guard count >= 2 * parameters.minSamplesLeaf else { return nil }
        let l2 = parameters.l2
        let parentScore = total * total / (hessian + l2)
        let rowCount = Double(count)
        var bestGain = 1e-12
        var best: Split?
        hist.slots.withUnsafeBufferPointer { hs in
            for f in 0..<columns {
                let base = f * 768
                let bins = binCounts[f]
                guard bins > 1 else { continue }
                let missingG = hs[base + 765]
                let missingH = hs[base + 766]
                let missingN = hs[base + 767]
                var gl = 0.0
                var hl = 0.0
                var nl = 0.0
                for b in 0..<(bins - 1) {
                    gl += hs[base + 3 * b]
                    hl += hs[base + 3 * b + 1]
                    nl += hs[base + 3 * b + 2]
                    // Missing values to the right, then (when there are any) to the left.
                    for side in 0..<(missingN > 0 ? 2 : 1) {
                        let missingLeft = side == 1
                        let g = missingLeft ? gl + missingG : gl
                        let h = missingLeft ? hl + missingH : hl
                        let n = missingLeft ? nl + missingN : nl
                        let nr = rowCount - n
                        guard n >= minLeaf, nr >= minLeaf, h >= 1e-3, hessian - h >= 1e-3 else { continue }
                        let gr = total - g
                        let hr = hessian - h
                        let gain = g * g / (h + l2) + gr * gr / (hr + l2) - parentScore
                        if gain > bestGain {
                            bestGain = gain
                            // With no missing values in training, missing values later follow the larger child.
                            let goesLeft = missingN > 0 ? missingLeft : n >= nr
                            best = Split(gain: gain, feature: f, bin: UInt8(b), missingGoesLeft: goesLeft)
                        }
                    }
                }
            }
        }
        return best
    }

    mutating func grow() -> ([BinnedNode], [(Int, [Int32])]) {
        let all = (0..<Int32(rows)).map { $0 }
        var nodes = [BinnedNode()]
        let rootHist = histogram(all)
        var g = 0.0
        var h = 0.0
        for i in 0..<rows {
            g += gradients[i]
            h += hessians[i]
        }
        var leaves = [
            Leaf(
                node: 0, rows: all, histogram: rootHist, g: g, h: h, split: bestSplit(rootHist, g: g, h: h, count: rows)
            )
        ]
        nodes[0].cover = Double(rows)
        while leaves.count < parameters.maxLeafNodes {
            guard
                let pick = leaves.indices.filter({ leaves[$0].split != nil }).max(by: {
                    leaves[$0].split!.gain < leaves[$1].split!.gain
                })
            else { break }
            let leaf = leaves.remove(at: pick)
            let split = leaf.split!
            let column = split.feature * rows
            var left: [Int32] = []
            var right: [Int32] = []
            left.reserveCapacity(leaf.rows.count)
            right.reserveCapacity(leaf.rows.count)
            for r in leaf.rows {
                let b = bins[column + Int(r)]
                let goLeft = b == Binner.missing ? split.missingGoesLeft : b <= split.bin
                if goLeft { left.append(r) } else { right.append(r) }
            }
            var gl = 0.0
            var hl = 0.0
            for r in left {
                gl += gradients[Int(r)]
                hl += hessians[Int(r)]
            }
            let smallIsLeft = left.count <= right.count
            let smallHist = histogram(smallIsLeft ? left : right)
            let largeHist = subtract(leaf.histogram, smallHist)
            let leftHist = smallIsLeft ? smallHist : largeHist
            let rightHist = smallIsLeft ? largeHist : smallHist
            let li = nodes.count
            nodes.append(BinnedNode(cover: Double(left.count)))
            nodes.append(BinnedNode(cover: Double(right.count)))
            nodes[leaf.node].feature = split.feature
            nodes[leaf.node].bin = split.bin
            nodes[leaf.node].missingGoesLeft = split.missingGoesLeft
            nodes[leaf.node].left = li
            nodes[leaf.node].right = li + 1
            let gr = leaf.g - gl
            let hr = leaf.h - hl
            leaves.append(
                Leaf(
                    node: li, rows: left, histogram: leftHist, g: gl, h: hl,
                    split: bestSplit(leftHist, g: gl, h: hl, count: left.count)))
            leaves.append(
                Leaf(
                    node: li + 1, rows: right, histogram: rightHist, g: gr, h: hr,
                    split: bestSplit(rightHist, g: gr, h: hr, count: right.count)))
        }
        var leafRows: [(Int, [Int32])] = []
        for leaf in leaves {
            nodes[leaf.node].value = -parameters.learningRate * leaf.g / (leaf.h + parameters.l2)
            leafRows.append((leaf.node, leaf.rows))
        }
        return (nodes, leafRows)
    }
}

/// A small seeded generator for reproducible hold-outs (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
