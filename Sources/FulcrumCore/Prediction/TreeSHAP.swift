/// Exact Shapley values of a tree ensemble's log-odds for one row (Lundberg, Erion & Lee 2018,
/// "Consistent individualized feature attribution for tree ensembles", Algorithm 2: path-dependent
/// TreeSHAP, polynomial time). Feature j's value is its average marginal contribution over all
/// orders, with a missing feature's expectation taken over the training rows that reached each
/// node (`cover`). The values sum to the row's log-odds minus the model's expected log-odds.
public enum TreeSHAP {
    struct PathElement {
        var feature: Int
        var zero: Double
        var one: Double
        var weight: Double
    }

    /// Contributions per feature (log-odds), and the expected value they start from.
    public static func explain(_ model: BoostedTrees, row: ArraySlice<Double>, features k: Int) -> (
        base: Double, contributions: [Double]
    ) {
        var phi = [Double](repeating: 0, count: k)
        var base = model.baseScore
        for tree in model.trees {
            base += expectedValue(tree)
            recurse(tree, row: row, node: 0, path: [], zero: 1, one: 1, feature: -1, phi: &phi)
        }
        return (base, phi)
    }

    /// The cover-weighted mean of a tree's leaves.
    public static func expectedValue(_ tree: BoostedTrees.Tree) -> Double {
        func walk(_ i: Int) -> Double {
            let n = tree.nodes[i]
            guard n.feature >= 0 else { return n.value }
            let l = tree.nodes[n.left].cover
            let r = tree.nodes[n.right].cover
            return (l * walk(n.left) + r * walk(n.right)) / max(l + r, 1e-300)
        }
        return walk(0)
    }

    static func recurse(
        _ tree: BoostedTrees.Tree, row: ArraySlice<Double>, node: Int, path parent: [PathElement], zero: Double,
        one: Double, feature: Int, phi: inout [Double]
    ) {
        var path = parent
        extend(&path, zero: zero, one: one, feature: feature)
        let n = tree.nodes[node]
        if n.feature < 0 {
            for i in 1..<path.count {
                let w = unwoundSum(path, i)
                phi[path[i].feature] += w * (path[i].one - path[i].zero) * n.value
            }
            return
        }
        let v = row[row.startIndex + n.feature]
        let goesLeft = v.isNaN ? n.missingGoesLeft : v <= n.threshold
        let hot = goesLeft ? n.left : n.right
        let cold = goesLeft ? n.right : n.left
        var incomingZero = 1.0
        var incomingOne = 1.0
        if let k = path.indices.dropFirst().first(where: { path[$0].feature == n.feature }) {
            incomingZero = path[k].zero
            incomingOne = path[k].one
            unwind(&path, k)
        }
        let cover = max(n.cover, 1e-300)
        recurse(
            tree, row: row, node: hot, path: path, zero: incomingZero * tree.nodes[hot].cover / cover,
            one: incomingOne, feature: n.feature, phi: &phi)
        recurse(
            tree, row: row, node: cold, path: path, zero: incomingZero * tree.nodes[cold].cover / cover, one: 0,
            feature: n.feature, phi: &phi)
    }

    static func extend(_ m: inout [PathElement], zero: Double, one: Double, feature: Int) {
        let l = m.count
        m.append(PathElement(feature: feature, zero: zero, one: one, weight: l == 0 ? 1 : 0))
        var i = l - 1
        while i >= 0 {
            m[i + 1].weight += one * m[i].weight * Double(i + 1) / Double(l + 1)
            m[i].weight = zero * m[i].weight * Double(l - i) / Double(l + 1)
            i -= 1
        }
    }

    static func unwind(_ m: inout [PathElement], _ index: Int) {
        let l = m.count - 1
        let one = m[index].one
        let zero = m[index].zero
        var next = m[l].weight
        var j = l - 1
        while j >= 0 {
            if one != 0 {
                let t = m[j].weight
                m[j].weight = next * Double(l + 1) / (Double(j + 1) * one)
                next = t - m[j].weight * zero * Double(l - j) / Double(l + 1)
            } else {
                m[j].weight = m[j].weight * Double(l + 1) / (zero * Double(l - j))
            }
            j -= 1
        }
        for i in index..<l {
            m[i].feature = m[i + 1].feature
            m[i].zero = m[i + 1].zero
            m[i].one = m[i + 1].one
        }
        m.removeLast()
    }

    static func unwoundSum(_ m: [PathElement], _ index: Int) -> Double {
        let l = m.count - 1
        let one = m[index].one
        let zero = m[index].zero
        var total = 0.0
        if one != 0 {
            var next = m[l].weight
            var j = l - 1
            while j >= 0 {
                let t = next / (Double(j + 1) * one)
                total += t
                next = m[j].weight - t * zero * Double(l - j)
                j -= 1
            }
        } else if zero != 0 {
            var j = l - 1
            while j >= 0 {
                total += m[j].weight / (zero * Double(l - j))
                j -= 1
            }
        }
        return total * Double(l + 1)
    }
}
