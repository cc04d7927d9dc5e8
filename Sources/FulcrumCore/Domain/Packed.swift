/// A value that never occurs in real data and can stand for "none", so an optional of the type can be
/// stored in the type's own size (`Packed`).
public protocol PackableOptional: Hashable, Sendable, Codable {
    static var absent: Self { get }
}

extension Int64: PackableOptional {
    /// No store id, amount or count is the smallest Int64.
    @inlinable public static var absent: Int64 { .min }
}

extension Timestamp: PackableOptional {
    @inlinable public static var absent: Timestamp { Timestamp(seconds: .min) }
}

extension Day: PackableOptional {
    @inlinable public static var absent: Day { Day(ordinal: .min) }
}

/// An optional id, instant or day stored in 8 bytes instead of 16.
///
/// Why: an `Int64?` field takes 9 bytes and pads to 16 in a struct, and the reports hold millions of
/// records at once (the large company: 5 million people, 13 million activities, 52 million touches), so
/// half of a record was Optional's tag byte and its padding. `Value.absent` stands for nil; storing it
/// is a programming error (caught in debug builds).
@propertyWrapper
@frozen
public struct Packed<Value: PackableOptional>: Hashable, Sendable {
    @usableFromInline var raw: Value

    @inlinable public init(wrappedValue: Value?) {
        assert(wrappedValue != Value.absent, "the packed sentinel is not a value")
        raw = wrappedValue ?? Value.absent
    }

    @inlinable public var wrappedValue: Value? {
        get { raw == Value.absent ? nil : raw }
        set {
            assert(newValue != Value.absent, "the packed sentinel is not a value")
            raw = newValue ?? Value.absent
        }
    }
}

/// Encoded exactly as the optional it stands for.
extension Packed: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(wrappedValue: container.decodeNil() ? nil : try container.decode(Value.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value = wrappedValue { try container.encode(value) } else { try container.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    /// A missing key decodes as nil, as it does for a plain optional property.
    public func decode<Value>(_ type: Packed<Value>.Type, forKey key: Key) throws -> Packed<Value> {
        Packed(wrappedValue: try decodeIfPresent(Value.self, forKey: key))
    }
}

extension KeyedEncodingContainer {
    /// Nil is left out, as it is for a plain optional property.
    public mutating func encode<Value>(_ value: Packed<Value>, forKey key: Key) throws {
        try encodeIfPresent(value.wrappedValue, forKey: key)
    }
}
