#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Elementary functions from the C library, so the core needs no Foundation.
public enum Math {
    @inline(__always) public static func log(_ x: Double) -> Double { libLog(x) }
    @inline(__always) public static func exp(_ x: Double) -> Double { libExp(x) }
    @inline(__always) public static func cos(_ x: Double) -> Double { libCos(x) }
    @inline(__always) public static func pow(_ x: Double, _ y: Double) -> Double { libPow(x, y) }
}

@inline(__always) private func libLog(_ x: Double) -> Double { log(x) }
@inline(__always) private func libExp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func libCos(_ x: Double) -> Double { cos(x) }
@inline(__always) private func libPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
