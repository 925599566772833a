/// `Status` on the wire (docs/protocol.md, "The status object"): the one encoder and the
/// one decoder of the status, used by `status` replies, events, hooks and guidectl.
///
/// Keys are written in byte order. The status's own optional fields are written as `null`
/// (every key present, so scripts can rely on them); the optional fields of its nested
/// objects are left out when absent. A new field is one line in `encode(to:)` and one in
/// `init(wire:)`.
extension Status: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("audio", audio)
        w.field("elapsed", elapsed)
        w.field("next", next)
        w.fieldIfPresent("pauseReason", pauseReason)
        w.field("remaining", remaining)
        w.fieldIfPresent("reminders", reminders)
        w.field("restored", restored)
        w.field("round", round)
        w.field("session", session)
        w.field("startedAt", startedAt)
        w.field("state", state)
        w.field("step", step)
        w.field("title", title)
        w.field("total", total)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(
            state: try o.value("state"), session: try o.optional("session"), title: try o.optional("title"),
            step: try o.optional("step"), round: try o.optional("round"), elapsed: try o.optional("elapsed") ?? 0,
            remaining: try o.optional("remaining") ?? 0, total: try o.optional("total") ?? 0, next: try o.optional("next"),
            audio: try o.optional("audio"), startedAt: try o.optional("startedAt"), restored: try o.optional("restored") ?? false)
        pauseReason = try o.optional("pauseReason")
        reminders = try o.optional("reminders")
    }
}

extension Status.ReminderStatus: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.fieldIfPresent("next", next)
        w.field("waiting", waiting)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(next: try o.optional("next"), waiting: try o.value("waiting"))
    }
}

extension Status.ReminderStatus.Next: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("at", at)
        w.field("name", name)
        w.field("text", text)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(name: try o.value("name"), text: try o.value("text"), at: try o.value("at"))
    }
}

extension Status.State: WireCodable {}
extension Side: WireCodable {}

extension Status.StepStatus: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("count", count)
        w.field("duration", duration)
        w.field("index", index)
        w.fieldIfPresent("instructions", instructions)
        w.field("name", name)
        w.field("remaining", remaining)
        w.field("rest", rest)
        w.fieldIfPresent("side", side)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(
            index: try o.value("index"), count: try o.value("count"), name: try o.value("name"), side: try o.optional("side"),
            rest: try o.value("rest"), duration: try o.value("duration"), remaining: try o.value("remaining"),
            instructions: try o.optional("instructions"))
    }
}

extension Status.RoundStatus: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("count", count)
        w.field("index", index)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(index: try o.value("index"), count: try o.value("count"))
    }
}

extension Status.NextStatus: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("duration", duration)
        w.field("name", name)
        w.fieldIfPresent("side", side)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(name: try o.value("name"), side: try o.optional("side"), duration: try o.value("duration"))
    }
}

extension Status.AudioStatus: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("device", device)
        w.fieldIfPresent("error", error)
        w.field("ok", ok)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(device: try o.value("device"), ok: try o.value("ok"), error: try o.optional("error"))
    }
}
