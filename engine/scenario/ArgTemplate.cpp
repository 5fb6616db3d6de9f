#include "scenario/ArgTemplate.h"

#include <QMetaType>

namespace swarm {

namespace {

bool isList(const QVariant& v)
{
    return v.metaType().id() == QMetaType::QVariantList;
}

bool isMap(const QVariant& v)
{
    return v.metaType().id() == QMetaType::QVariantMap;
}

bool isString(const QVariant& v)
{
    return v.metaType().id() == QMetaType::QString;
}

} // namespace

bool ArgTemplate::isTemplate(const QVariant& value)
{
    if (isString(value)) return StringTemplate::hasTemplate(value.toString());
    if (isList(value)) {
        const QVariantList list = value.toList();
        for (const QVariant& item : list)
            if (isTemplate(item)) return true;
    } else if (isMap(value)) {
        const QVariantMap map = value.toMap();
        for (const QVariant& item : map)
            if (isTemplate(item)) return true;
    }
    return false;
}

bool ArgTemplate::compile(const QVariant& value, const QStringList& dataNames,
    const QList<QStringList>& columns, StringTemplate::Error* error, QString* badString)
{
    m_value = value;
    m_strings.clear();
    return compileAll(value, dataNames, columns, error, badString);
}

bool ArgTemplate::compileAll(const QVariant& value, const QStringList& dataNames,
    const QList<QStringList>& columns, StringTemplate::Error* error, QString* badString)
{
    if (isString(value)) {
        const QString text = value.toString();
        if (!StringTemplate::hasTemplate(text) || m_strings.contains(text)) return true;
        StringTemplate t;
        if (!StringTemplate::parse(text, &t, error) || !t.bind(dataNames, columns, error)) {
            *badString = text;
            return false;
        }
        m_strings.insert(text, t);
        return true;
    }
    if (isList(value)) {
        const QVariantList list = value.toList();
        for (const QVariant& item : list)
            if (!compileAll(item, dataNames, columns, error, badString)) return false;
    } else if (isMap(value)) {
        const QVariantMap map = value.toMap();
        for (const QVariant& item : map)
            if (!compileAll(item, dataNames, columns, error, badString)) return false;
    }
    return true;
}

QVariant ArgTemplate::evaluate(const ClientIdentity& who, QString* error) const
{
    return fill(m_value, who, error);
}

QVariant ArgTemplate::fill(const QVariant& value, const ClientIdentity& who, QString* error) const
{
    if (isString(value)) {
        const auto it = m_strings.constFind(value.toString());
        return it == m_strings.constEnd() ? value : it->evaluate(who, error);
    }
    if (isList(value)) {
        QVariantList list = value.toList();
        for (QVariant& item : list) {
            item = fill(item, who, error);
            if (!error->isEmpty()) return {};
        }
        return list;
    }
    if (isMap(value)) {
        QVariantMap map = value.toMap();
        for (QVariant& item : map) {
            item = fill(item, who, error);
            if (!error->isEmpty()) return {};
        }
        return map;
    }
    return value;
}

} // namespace swarm
