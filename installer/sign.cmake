# Authenticode signing of the files the MSI packs and of the MSI itself
# (installer/pack.sh), when a certificate is given: a PKCS#12 file, or a key
# on a PKCS#11 token. Unsigned when none is. Only file and variable names
# reach pack.sh's command line; the password stays in its file or variable.
# Sets NR_SIGN_ARGS, pack.sh's signing options.
set(NR_SIGN_PKCS12 "" CACHE FILEPATH "PKCS#12 file with the code-signing certificate and its key")
set(NR_SIGN_PKCS11_MODULE "" CACHE FILEPATH "PKCS#11 module (.so) of the token that holds the key")
set(NR_SIGN_PKCS11_ENGINE "" CACHE FILEPATH "OpenSSL PKCS#11 engine (.so), if osslsigncode's default is not the one")
set(NR_SIGN_PKCS11_KEY "" CACHE STRING "PKCS#11 URI of the key (pkcs11:object=...;type=private)")
set(NR_SIGN_PKCS11_CERT "" CACHE STRING "the token key's certificate (chain): a PEM file or a PKCS#11 URI")
set(NR_SIGN_PASSWORD_FILE "" CACHE FILEPATH "file holding the PKCS#12 password or the token PIN")
set(NR_SIGN_PASSWORD_ENV "" CACHE STRING "name of the environment variable holding it when the build runs")
set(NR_SIGN_TIMESTAMP_URL "" CACHE STRING "RFC 3161 time-stamp server URL (optional)")

if(NR_SIGN_PKCS12 AND NR_SIGN_PKCS11_MODULE)
  message(FATAL_ERROR "NR_SIGN_PKCS12 and NR_SIGN_PKCS11_MODULE: give one certificate, not both")
endif()
if(NR_SIGN_PKCS11_MODULE AND NOT (NR_SIGN_PKCS11_KEY AND NR_SIGN_PKCS11_CERT))
  message(FATAL_ERROR "NR_SIGN_PKCS11_MODULE needs NR_SIGN_PKCS11_KEY and NR_SIGN_PKCS11_CERT")
endif()
if(NR_SIGN_PASSWORD_FILE AND NR_SIGN_PASSWORD_ENV)
  message(FATAL_ERROR "NR_SIGN_PASSWORD_FILE and NR_SIGN_PASSWORD_ENV: give one, not both")
endif()

set(NR_SIGN_ARGS "")
if(NR_SIGN_PKCS12 OR NR_SIGN_PKCS11_MODULE)
  find_program(NR_OSSLSIGNCODE osslsigncode REQUIRED)
  foreach(pair PKCS12=--pkcs12 PKCS11_MODULE=--pkcs11-module PKCS11_ENGINE=--pkcs11-engine
               PKCS11_KEY=--pkcs11-key PKCS11_CERT=--pkcs11-cert PASSWORD_FILE=--password-file
               PASSWORD_ENV=--password-env TIMESTAMP_URL=--timestamp)
    string(REPLACE "=" ";" pair "${pair}")
    list(GET pair 0 name)
    list(GET pair 1 option)
    if(NR_SIGN_${name})
      list(APPEND NR_SIGN_ARGS ${option} ${NR_SIGN_${name}})
    endif()
  endforeach()
  message(STATUS "signing: the DLLs, the EXE and the MSI, with osslsigncode")
elseif(NR_SIGN_PASSWORD_FILE OR NR_SIGN_PASSWORD_ENV OR NR_SIGN_TIMESTAMP_URL)
  message(FATAL_ERROR "a signing password or time-stamp server is set but no certificate: "
                      "set NR_SIGN_PKCS12 or NR_SIGN_PKCS11_MODULE")
endif()
