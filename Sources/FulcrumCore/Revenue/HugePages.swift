#if canImport(Glibc)
    import Glibc
#endif

extension Array {
    /// Asks the kernel to back this array's reserved storage with transparent huge pages, so filling
    /// tens of megabytes takes a fault per 2 MB instead of one per 4 KB. Only a hint: it changes no
    /// value, and where the kernel or platform does not take it nothing happens. Call right after
    /// `reserveCapacity`, before the storage is written.
    package mutating func adviseHugePages() {
        #if os(Linux) && canImport(Glibc)
            let bytes = capacity * MemoryLayout<Element>.stride
            let huge = 2 << 20
            guard bytes >= 4 * huge else { return }
            withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
                let end = (Int(bitPattern: base) + bytes) & ~(huge - 1)
                guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
                _ = madvise(pointer, end - start, MADV_HUGEPAGE)
            }
        #endif
    }
}
