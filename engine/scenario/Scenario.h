#pragma once

#include "scenario/DataSource.h"
#include "scenario/SourcePos.h"
#include "scenario/ValueRange.h"

#include <QList>
#include <QString>
#include <QVariant>

#include <memory>

namespace swarm {

// One argument of an action, passed to the protocol command's parameter of the same name.
// `value` is the YAML value as a QVariant: null, bool, qint64, double, QString, QVariantList or
// QVariantMap (nested as written).
struct ActionArg
{
    QString name;
    QVariant value;
    SourcePos pos; // of the key
    SourcePos valuePos {}; // of the value's first character (inside its quotes)
};

struct Action
{
    QString command;
    QList<ActionArg> args; // in the order written
    ValueRange rounds = ValueRange::fixed(1);
    ValueRange sleepBetweenRounds = ValueRange::fixed(1);
    ValueRange sleepAfterAction = ValueRange::fixed(1);
    // Open model: rounds of this action start at this many per second over all connections
    // (each connection at rate / connections), instead of after the sleeps. 0: not set (the
    // run's --rate, if any, else the closed loop).
    double rate = 0;
    // The rate as written ("250.0", "1e3"): toYaml gives it back while it still reads as `rate`
    // (as ValueRange::written). Not part of ==.
    QString rateWritten;
    SourcePos pos; // of the action (the list item)
    SourcePos commandPos; // of the command's value

    bool operator==(const Action& o) const;
    bool operator!=(const Action& o) const { return !(*this == o); }
};

// A validated scenario: immutable once loaded and shared read-only by every thread.
struct Scenario
{
    QString file; // as given by the user; used in messages
    QString protocol; // module name: NAME.js in the protocol directory
    SourcePos protocolPos;
    QList<Action> actions;
    // on_close: the goodbye command run (once, bounded by a short deadline) before swarm closes a
    // connection itself (decr, stop, --duration); its `command` is empty when there is none.
    Action onClose;
    // data: the files of rows the connections draw from (client.data, ${row.NAME.COLUMN}).
    QList<DataSource> data;

    // tls: the TLS settings (key as written: ca, cert, ...; value as read), applied at the start of
    // a run as the --tls-... options they stand for, unless given on the command line.
    QList<ActionArg> tls;

    bool hasOnClose() const { return !onClose.command.isEmpty(); }
    bool operator==(const Scenario& o) const
    {
        return protocol == o.protocol && actions == o.actions && onClose == o.onClose
            && data == o.data;
    }
    bool operator!=(const Scenario& o) const { return !(*this == o); }

    // The scenario as YAML text, in the canonical layout the GUI writes.
    QString toYaml() const;
};

using ScenarioPtr = std::shared_ptr<const Scenario>;

} // namespace swarm
