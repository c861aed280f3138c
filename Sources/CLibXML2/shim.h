// libxml2's public headers pull in the system ICU headers when libxml2 was built with ICU
// (Debian's is). Those clash with the ICU copy inside swift-corelibs-foundation when one Swift
// file sees both modules. Prospector never touches libxml2's ICU converter fields, so the
// headers are read as if ICU were off.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
