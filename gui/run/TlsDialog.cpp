#include "run/TlsDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace swarm {

TlsDialog::TlsDialog(const TlsConfig& current, QWidget* parent)
    : QDialog(parent)
    , m_config(current)
    , m_enabled(new QCheckBox(tr("Speak TLS to the server (--tls)"), this))
    , m_ca(new QLineEdit(current.caFile, this))
    , m_sni(new QLineEdit(current.sni, this))
    , m_insecure(new QCheckBox(tr("Do not verify the server's certificate (--tls-insecure)"), this))
{
    setWindowTitle(tr("TLS"));
    m_enabled->setObjectName(QStringLiteral("tlsEnabled"));
    m_ca->setObjectName(QStringLiteral("tlsCa"));
    m_sni->setObjectName(QStringLiteral("tlsSni"));
    m_insecure->setObjectName(QStringLiteral("tlsInsecure"));
    m_enabled->setChecked(current.enabled);
    m_insecure->setChecked(current.insecure);
    m_ca->setPlaceholderText(tr("empty: the system's certificate store"));
    m_sni->setPlaceholderText(tr("empty: the server's host name"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Certificates to trust"),
            m_ca->text(), tr("PEM files (*.pem *.crt);;All files (*)"));
        if (!file.isEmpty()) m_ca->setText(file);
    });
    auto* caRow = new QHBoxLayout;
    caRow->addWidget(m_ca, 1);
    caRow->addWidget(browse);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* form = new QFormLayout(this);
    form->addRow(m_enabled);
    form->addRow(tr("&CA file:"), caRow);
    form->addRow(tr("Server &name (SNI):"), m_sni);
    form->addRow(m_insecure);
    form->addRow(buttons);
    const auto enable = [this](bool on) {
        m_ca->setEnabled(on);
        m_sni->setEnabled(on);
        m_insecure->setEnabled(on);
    };
    connect(m_enabled, &QCheckBox::toggled, this, enable);
    enable(current.enabled);
}

TlsConfig TlsDialog::config() const
{
    TlsConfig c = m_config;
    c.enabled = m_enabled->isChecked();
    c.caFile = m_ca->text().trimmed();
    c.sni = m_sni->text().trimmed();
    c.insecure = m_insecure->isChecked();
    return c;
}

} // namespace swarm
