#include "stats/StatsSnapshot.h"

namespace swarm {

quint64 StatsSnapshot::errors() const
{
    quint64 total = 0;
    for (int s = 0; s < kStateCount; ++s)
        if (isErrorState(ConnState(s))) total += quint64(transitions[size_t(s)]);
    return total;
}

qint64 StatsSnapshot::connectedNow() const
{
    return current[size_t(ConnState::Acting)] + current[size_t(ConnState::Standby)];
}

qint64 StatsSnapshot::connectingNow() const
{
    return current[size_t(ConnState::Started)] + current[size_t(ConnState::Connecting)];
}

qint64 StatsSnapshot::failingNow() const
{
    qint64 total = 0;
    for (int s = 0; s < kStateCount; ++s)
        if (isErrorState(ConnState(s))) total += current[size_t(s)];
    return total;
}

double StatsSnapshot::errorRatio() const
{
    const quint64 all = errors();
    const quint64 connectionOnly = all > requestErrors ? all - requestErrors : 0;
    const quint64 attempts = requests + connectionOnly;
    return attempts ? double(qMax(all, requestErrors)) / double(attempts) : 0.0;
}

double StatsSnapshot::averageRps() const
{
    return elapsedMs > 0 ? double(requests) * 1000.0 / double(elapsedMs) : 0.0;
}

const CommandTotals* StatsSnapshot::command(const QString& name) const
{
    for (const CommandTotals& c : commands)
        if (c.name == name) return &c;
    return nullptr;
}

void TimeSeries::append(const TimeSample& sample)
{
    if (m_samples.size() < size_t(kCapacity)) {
        m_samples.push_back(sample);
        return;
    }
    m_samples[m_start] = sample;
    m_start = (m_start + 1) % m_samples.size();
    ++m_dropped;
}

void TimeSeries::clear()
{
    m_samples.clear();
    m_samples.shrink_to_fit();
    m_start = 0;
    m_dropped = 0;
}

} // namespace swarm
