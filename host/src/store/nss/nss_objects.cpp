#include "store/nss/nss_objects.hpp"

#include <cstring>
#include <iterator>
#include <memory>

#include <pk11pub.h>
#include <pkcs11n.h>
#include <prerror.h>
#include <secitem.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "util/failure.hpp"

namespace epos::store::nss {
namespace {

struct X509Deleter {
    void operator()(X509* cert) const { X509_free(cert); }
};

// The DER encoding of an OpenSSL object through its i2d function.
template <typename T, typename Encoder>
Bytes encode(T* object, Encoder encoder) {
    if (object == nullptr) {
        return {};
    }
    const int length = encoder(object, nullptr);
    if (length <= 0) {
        return {};
    }
    Bytes out(static_cast<std::size_t>(length));
    unsigned char* cursor = out.data();
    encoder(object, &cursor);
    return out;
}
struct ObjectsDeleter {
    void operator()(PK11GenericObject* list) const { PK11_DestroyGenericObjects(list); }
};
using ObjectList = std::unique_ptr<PK11GenericObject, ObjectsDeleter>;

Bytes to_bytes(const SECItem& item) {
    return Bytes(item.data, item.data + item.len);
}

Bytes hash(const EVP_MD* algorithm, const Bytes& data) {
    Bytes out(EVP_MAX_MD_SIZE);
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &length, algorithm, nullptr) != 1) {
        throw Failure("store_failed", "OpenSSL could not hash a certificate");
    }
    out.resize(length);
    return out;
}

std::string hex(const Bytes& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char byte : bytes) {
        out += digits[byte >> 4];
        out += digits[byte & 0x0f];
    }
    return out;
}

Bytes read_attribute(PK11GenericObject* object, CK_ATTRIBUTE_TYPE type) {
    SECItem item{siBuffer, nullptr, 0};
    if (PK11_ReadRawAttribute(PK11_TypeGeneric, object, type, &item) != SECSuccess) {
        return {};
    }
    Bytes bytes = to_bytes(item);
    SECITEM_FreeItem(&item, PR_FALSE);
    return bytes;
}

unsigned long read_ulong(PK11GenericObject* object, CK_ATTRIBUTE_TYPE type) {
    const Bytes bytes = read_attribute(object, type);
    CK_ULONG value = 0;
    if (bytes.size() == sizeof value) {
        std::memcpy(&value, bytes.data(), sizeof value);
    }
    return value;
}

unsigned long handle_of(PK11GenericObject* object) {
    PK11SlotInfo* slot = nullptr;
    const CK_OBJECT_HANDLE handle = PK11_GetObjectHandle(PK11_TypeGeneric, object, &slot);
    if (slot != nullptr) {
        PK11_FreeSlot(slot);
    }
    return handle;
}

// Creates a token object and returns its handle. PK11_CreateGenericObject (not the "managed"
// variant) does not own the token object, so freeing the C struct leaves the object in the
// database.
unsigned long create_object(PK11SlotInfo* slot, CK_ATTRIBUTE* attributes, int count,
                            const char* what) {
    PK11GenericObject* object = PK11_CreateGenericObject(slot, attributes, count, PR_TRUE);
    if (object == nullptr) {
        const char* name = PR_ErrorToName(PR_GetError());
        throw Failure("store_failed", std::string("NSS refused to write the ") + what + " (" +
                                          (name != nullptr ? name : "unknown error") + ")");
    }
    const unsigned long handle = handle_of(object);
    PK11_DestroyGenericObject(object);
    return handle;
}

}  // namespace

CertAttributes decode_certificate(const Bytes& der) {
    // OpenSSL parses here: NSS 3.87 does not export a decoder for a certificate that is not to
    // enter its cache (CERT_DecodeDERCertificate is private), and the store must not touch
    // NSS's process-wide certificate cache, which spans every open database.
    const unsigned char* cursor = der.data();
    std::unique_ptr<X509, X509Deleter> cert(
        d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
    if (!cert || cursor != der.data() + der.size()) {
        throw Failure("certificate_invalid", "The certificate is not valid DER.");
    }
    CertAttributes out;
    out.der = der;
    out.subject = encode(X509_get_subject_name(cert.get()), i2d_X509_NAME);
    out.issuer = encode(X509_get_issuer_name(cert.get()), i2d_X509_NAME);
    out.serial = encode(X509_get0_serialNumber(cert.get()), i2d_ASN1_INTEGER);
    // As PK11_ImportCert does (pk11_mkcertKeyID): CKA_ID is the SHA-1 of the public key bits.
    const ASN1_BIT_STRING* key = X509_get0_pubkey_bitstr(cert.get());
    if (key == nullptr || out.subject.empty() || out.issuer.empty() || out.serial.empty()) {
        throw Failure("certificate_invalid", "The certificate lacks a name, serial or key.");
    }
    out.key_id = hash(EVP_sha1(), Bytes(key->data, key->data + key->length));
    out.sha1 = hash(EVP_sha1(), der);
    out.md5 = hash(EVP_md5(), der);
    out.sha256_hex = hex(hash(EVP_sha256(), der));
    return out;
}

SlotEntry find_entry(PK11SlotInfo* slot, const std::string& sha256_hex) {
    SlotEntry entry;
    Bytes sha1;
    Bytes issuer;
    Bytes serial;
    ObjectList certs(PK11_FindGenericObjects(slot, CKO_CERTIFICATE));
    for (PK11GenericObject* object = certs.get(); object != nullptr;
         object = PK11_GetNextGenericObject(object)) {
        const Bytes der = read_attribute(object, CKA_VALUE);
        if (der.empty() || hex(hash(EVP_sha256(), der)) != sha256_hex) {
            continue;
        }
        entry.has_cert = true;
        entry.cert_handle = handle_of(object);
        entry.der = der;
        const Bytes label = read_attribute(object, CKA_LABEL);
        entry.label.assign(label.begin(), label.end());
        while (!entry.label.empty() && entry.label.back() == '\0') {
            entry.label.pop_back();
        }
        sha1 = hash(EVP_sha1(), der);
        issuer = read_attribute(object, CKA_ISSUER);
        serial = read_attribute(object, CKA_SERIAL_NUMBER);
        break;
    }
    if (!entry.has_cert) {
        return entry;
    }
    // NSS ties a trust object to its certificate by issuer and serial number
    // (nssToken_FindTrustForCertificate).
    ObjectList trusts(PK11_FindGenericObjects(slot, CKO_NSS_TRUST));
    for (PK11GenericObject* object = trusts.get(); object != nullptr;
         object = PK11_GetNextGenericObject(object)) {
        if (read_attribute(object, CKA_ISSUER) != issuer ||
            read_attribute(object, CKA_SERIAL_NUMBER) != serial) {
            continue;
        }
        if (read_attribute(object, CKA_CERT_SHA1_HASH) != sha1) {
            entry.torn_trust_handles.push_back(handle_of(object));
            continue;
        }
        if (entry.trust_handles.empty()) {
            entry.server_auth = read_ulong(object, CKA_TRUST_SERVER_AUTH);
        }
        entry.trust_handles.push_back(handle_of(object));
    }
    return entry;
}

unsigned long server_auth_value(TrustKind kind) {
    return kind == TrustKind::Anchor ? CKT_NSS_TRUSTED_DELEGATOR : CKT_NSS_TRUSTED;
}

unsigned long create_certificate(PK11SlotInfo* slot, const CertAttributes& cert,
                                 const std::string& nickname) {
    CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE type = CKC_X_509;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE attributes[] = {
        {CKA_CLASS, &cls, sizeof cls},
        {CKA_TOKEN, &yes, sizeof yes},
        {CKA_CERTIFICATE_TYPE, &type, sizeof type},
        {CKA_LABEL, const_cast<char*>(nickname.data()), nickname.size()},
        {CKA_ID, const_cast<unsigned char*>(cert.key_id.data()), cert.key_id.size()},
        {CKA_SUBJECT, const_cast<unsigned char*>(cert.subject.data()), cert.subject.size()},
        {CKA_ISSUER, const_cast<unsigned char*>(cert.issuer.data()), cert.issuer.size()},
        {CKA_SERIAL_NUMBER, const_cast<unsigned char*>(cert.serial.data()), cert.serial.size()},
        {CKA_VALUE, const_cast<unsigned char*>(cert.der.data()), cert.der.size()},
    };
    return create_object(slot, attributes, static_cast<int>(std::size(attributes)), "certificate");
}

unsigned long create_trust(PK11SlotInfo* slot, const CertAttributes& cert, TrustKind kind) {
    // The values NSS's own STAN_ChangeCertTrust writes for the certutil strings (pki3hack.c
    // get_stan_trust): "P,," = server and client auth CKT_NSS_TRUSTED; "C,," = server auth
    // CKT_NSS_TRUSTED_DELEGATOR and client auth CKT_NSS_VALID_DELEGATOR (CERTDB_VALID_CA);
    // e-mail and code signing must-verify.
    CK_OBJECT_CLASS cls = CKO_NSS_TRUST;
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_TRUST server = server_auth_value(kind);
    CK_TRUST client = kind == TrustKind::Anchor ? CKT_NSS_VALID_DELEGATOR : CKT_NSS_TRUSTED;
    CK_TRUST other = CKT_NSS_MUST_VERIFY_TRUST;
    CK_ATTRIBUTE attributes[] = {
        {CKA_CLASS, &cls, sizeof cls},
        {CKA_TOKEN, &yes, sizeof yes},
        {CKA_ISSUER, const_cast<unsigned char*>(cert.issuer.data()), cert.issuer.size()},
        {CKA_SERIAL_NUMBER, const_cast<unsigned char*>(cert.serial.data()), cert.serial.size()},
        {CKA_CERT_SHA1_HASH, const_cast<unsigned char*>(cert.sha1.data()), cert.sha1.size()},
        {CKA_CERT_MD5_HASH, const_cast<unsigned char*>(cert.md5.data()), cert.md5.size()},
        {CKA_TRUST_SERVER_AUTH, &server, sizeof server},
        {CKA_TRUST_CLIENT_AUTH, &client, sizeof client},
        {CKA_TRUST_EMAIL_PROTECTION, &other, sizeof other},
        {CKA_TRUST_CODE_SIGNING, &other, sizeof other},
        {CKA_TRUST_STEP_UP_APPROVED, &no, sizeof no},
    };
    return create_object(slot, attributes, static_cast<int>(std::size(attributes)), "trust");
}

bool destroy_object(PK11SlotInfo* slot, unsigned long handle) {
    return PK11_DestroyTokenObject(slot, handle) == SECSuccess;
}

}  // namespace epos::store::nss
