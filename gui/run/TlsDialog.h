#pragma once

#include "net/TlsConfig.h"

#include <QDialog>

class QCheckBox;
class QLineEdit;

namespace swarm {

// The server's TLS settings in the window (the Run tab's "TLS" button beside the server box):
// on or off, the CA file to trust, the server name (SNI), no verification. The other TLS
// settings (client certificate, minimum version, ALPN, session reuse) come from the command line
// or the scenario's tls: block and are kept as they are.
class TlsDialog : public QDialog
{
    Q_OBJECT
public:
    TlsDialog(const TlsConfig& current, QWidget* parent = nullptr);
    TlsConfig config() const; // `current` with the dialog's fields

private:
    TlsConfig m_config;
    QCheckBox* m_enabled;
    QLineEdit* m_ca;
    QLineEdit* m_sni;
    QCheckBox* m_insecure;
};

} // namespace swarm
