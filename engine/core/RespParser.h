#pragma once

#include "core/ReplyParser.h"

namespace swarm {

// One complete RESP2/RESP3 value (redis): +simple, -error, :int, $bulk, *array, and the RESP3
// types. Called by parseReply for ParserSpec::Kind::Resp; `max` is the reply limit (> 0).
ParseResult parseResp(const char* data, qint64 size, ParserState& state, qint64 max);

} // namespace swarm
