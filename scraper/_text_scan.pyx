# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Scans of a page's bytes and of short strings in C, for the extraction's hot spots that
involve no tree: each function answers exactly what the Python it stands for answers
(:mod:`scraper.extract._scan` picks one or the other). Built by setup.py when Cython is at
hand; unlike :mod:`scraper._lexbor_walk` it needs nothing of selectolax.
"""

from cpython.unicode cimport Py_UNICODE_ISSPACE
from libc.stdlib cimport free, malloc
from libc.string cimport memchr, memcmp, memcpy, memset

cdef extern from "<string.h>":
    void* memmem(const void* haystack, size_t size, const void* needle, size_t length) nogil

cdef extern from "Python.h":
    int PyUnicode_KIND(object text)
    void* PyUnicode_DATA(object text)
    Py_ssize_t PyUnicode_GET_LENGTH(object text)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index)
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    enum:
        PyUnicode_1BYTE_KIND
        PyUnicode_4BYTE_KIND

cdef extern from *:
    """
    #include <string.h>
    #if defined(__SSE2__)
    #include <emmintrin.h>
    #endif
    /* The first occurrence of the 4-byte ``needle`` in ``data``, or NULL: with SSE2, 16
       positions at a time are sifted by the needle's first and last bytes (each survivor
       compared whole); elsewhere glibc's memmem. */
    static const char* bb_find4(const char* data, size_t size, const char* needle) {
    #if defined(__SSE2__)
        size_t at = 0;
        const __m128i first = _mm_set1_epi8(needle[0]);
        const __m128i last = _mm_set1_epi8(needle[3]);
        while (at + 19 <= size) {
            __m128i a = _mm_loadu_si128((const __m128i*) (data + at));
            __m128i b = _mm_loadu_si128((const __m128i*) (data + at + 3));
            unsigned mask = (unsigned) _mm_movemask_epi8(
                _mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));
            while (mask) {
                unsigned bit = (unsigned) __builtin_ctz(mask);
                if (memcmp(data + at + bit, needle, 4) == 0) {
                    return data + at + bit;
                }
                mask &= mask - 1;
            }
            at += 16;
        }
        return (const char*) memmem(data + at, size - at, needle, 4);
    #else
        return (const char*) memmem(data, size, needle, 4);
    #endif
    }

    /* How many times ``byte`` occurs in ``data`` (with SSE2, 16 bytes at a time, counted
       in 8-bit lanes for up to 255 rounds). */
    static Py_ssize_t bb_count(const char* data, size_t size, char byte) {
        size_t at = 0;
        Py_ssize_t count = 0;
    #if defined(__SSE2__)
        const __m128i needle = _mm_set1_epi8(byte);
        while (at + 16 <= size) {
            size_t stop = at + 16 * 255 < size ? at + 16 * 255 : size;
            __m128i lanes = _mm_setzero_si128();
            while (at + 16 <= stop) {
                __m128i chunk = _mm_loadu_si128((const __m128i*) (data + at));
                lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(chunk, needle));
                at += 16;
            }
            __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
            count += _mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4);
        }
    #endif
        for (; at < size; at++) {
            count += data[at] == byte;
        }
        return count;
    }
    """
    const char* bb_find4(const char* data, size_t size, const char* needle) nogil
    Py_ssize_t bb_count(const char* data, size_t size, char byte) nogil


def read_marks(bytes source, tuple tails):
    """``(class_word, min_read)``: whether some ``read`` in ``source`` is followed by one of
    ``tails``, and whether some ``read`` follows ``min ``."""
    cdef const char* data = source
    cdef Py_ssize_t size = len(source), at = 0, pos, k, n = len(tails)
    cdef const char* hit
    cdef bint class_word = False, min_read = False
    cdef bytes tail
    while not (class_word and min_read):
        hit = bb_find4(data + at, size - at, b"read")
        if hit == NULL:
            break
        pos = hit - data
        if not class_word:
            for k in range(n):
                tail = tails[k]
                if (pos + 4 + len(tail) <= size
                        and memcmp(data + pos + 4, <const char*> tail, len(tail)) == 0):
                    class_word = True
                    break
        if not min_read and pos >= 4 and memcmp(data + pos - 4, b"min ", 4) == 0:
            min_read = True
        at = pos + 4
    return class_word, min_read


cdef inline bint _word_byte(char c) noexcept:
    return (b"a"[0] <= c <= b"z"[0] or b"A"[0] <= c <= b"Z"[0] or b"0"[0] <= c <= b"9"[0]
            or c == b"_"[0])


cdef inline unsigned long long _packed(const char* data, Py_ssize_t size) noexcept:
    """Up to 8 bytes as one number (names of up to 8 bytes compare as numbers)."""
    cdef unsigned long long value = 0
    cdef Py_ssize_t k
    for k in range(size):
        value = (value << 8) | <unsigned char> data[k]
    return value


def nesting(bytes source, tuple flat, Py_ssize_t least=0):
    """``(count, deepest)``: how many ``<`` ``source`` holds, and the deepest running sum
    of +1 per start tag and -1 per end tag (None without tags, or when ``count`` is below
    ``least``: then the tags are not read), where a tag is ``<`` or ``</`` and an ASCII
    letter, not starting one of the names in ``flat`` (of 1 to 8 bytes) followed by a
    non-word byte (what ``_decode._TAG_MARK_BYTES`` finds)."""
    cdef const char* data = source
    cdef Py_ssize_t size = len(source), at = 0, pos, name, end, k, n = len(flat)
    cdef Py_ssize_t count = 0, depth = 0, deepest = 0
    cdef bint tagged = False, closing, skip
    cdef const char* hit
    cdef char c
    cdef unsigned long long run
    cdef unsigned long long words[64]
    cdef Py_ssize_t sizes[64]
    if n > 64:
        raise ValueError("at most 64 names")
    for k in range(n):
        sizes[k] = len(<bytes> flat[k])
        if not 1 <= sizes[k] <= 8:
            raise ValueError("names of 1 to 8 bytes")
        words[k] = _packed(<const char*> (<bytes> flat[k]), sizes[k])
    count = bb_count(data, size, b"<"[0])
    if count < least:
        return count, None
    while at < size:
        hit = <const char*> memchr(data + at, b"<"[0], size - at)
        if hit == NULL:
            break
        pos = hit - data
        at = pos + 1
        name = pos + 1
        closing = name < size and data[name] == b"/"[0]
        if closing:
            name += 1
        if name >= size:
            continue
        c = data[name]
        if not (b"a"[0] <= c <= b"z"[0] or b"A"[0] <= c <= b"Z"[0]):
            continue
        # A flat name followed by a word boundary is exactly the whole run of word bytes.
        end = name + 1
        while end < size and end - name <= 8 and _word_byte(data[end]):
            end += 1
        skip = False
        if end - name <= 8:
            run = _packed(data + name, end - name)
            for k in range(n):
                if sizes[k] == end - name and words[k] == run:
                    skip = True
                    break
        if skip:
            continue
        depth += -1 if closing else 1
        if not tagged or depth > deepest:
            deepest = depth
            tagged = True
    return count, (deepest if tagged else None)


def utf8_valid(bytes source):
    """Whether ``source.decode("utf-8")`` succeeds: well-formed UTF-8 (no overlong forms,
    no surrogates, nothing above U+10FFFF)."""
    cdef const unsigned char* data = <const unsigned char*> (<const char*> source)
    cdef Py_ssize_t size = len(source), at = 0
    cdef unsigned char lead, second
    cdef unsigned long long word
    while at < size:
        while at + 8 <= size:  # (ASCII eight bytes at a time)
            memcpy(&word, data + at, 8)
            if word & 0x8080808080808080ULL:
                break
            at += 8
        if at >= size:
            break
        lead = data[at]
        if lead < 0x80:
            at += 1
            continue
        if lead < 0xC2 or lead > 0xF4:
            return False
        if lead < 0xE0:
            if at + 1 >= size or data[at + 1] & 0xC0 != 0x80:
                return False
            at += 2
            continue
        if at + 1 >= size:
            return False
        second = data[at + 1]
        if second & 0xC0 != 0x80:
            return False
        if lead < 0xF0:
            if (lead == 0xE0 and second < 0xA0) or (lead == 0xED and second > 0x9F):
                return False  # (overlong; a surrogate)
            if at + 2 >= size or data[at + 2] & 0xC0 != 0x80:
                return False
            at += 3
            continue
        if (lead == 0xF0 and second < 0x90) or (lead == 0xF4 and second > 0x8F):
            return False  # (overlong; above U+10FFFF)
        if (at + 3 >= size or data[at + 2] & 0xC0 != 0x80
                or data[at + 3] & 0xC0 != 0x80):
            return False
        at += 4
    return True



def has_word(str text, tuple words, bytes index):
    """Whether one of ``words`` (ASCII bytes, sorted) occurs in ``text``: ``index`` holds,
    for each byte value ``b``, the range ``index[2 * b]:index[2 * b + 1]`` of the words
    starting with ``b``. None when ``text`` is not stored one byte per character (then
    the caller searches itself)."""
    cdef const unsigned char* data
    cdef const unsigned char* table = <const unsigned char*> (<const char*> index)
    cdef Py_ssize_t size, at, k, length
    cdef unsigned char c
    cdef bytes word
    if len(index) != 512:
        raise ValueError("an index of 256 ranges")
    if PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND:
        return None
    data = <const unsigned char*> PyUnicode_DATA(text)
    size = PyUnicode_GET_LENGTH(text)
    for at in range(size):
        c = data[at]
        for k in range(table[2 * c], table[2 * c + 1]):
            word = <bytes> words[k]
            length = len(word)
            if at + length <= size and memcmp(data + at, <const char*> word, length) == 0:
                return True
    return False



def tidy(str text):
    """``"\\n".join(" ".join(line.split()) for line in text.split("\\n")).strip()``: every
    run of white space within a line one space, every line stripped, and the empty lines
    at both ends gone."""
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t size = PyUnicode_GET_LENGTH(text), at, out = 0
    cdef Py_UCS4 c
    cdef bint space = False, word = False  # (a space pending; a word on this line)
    cdef Py_UCS4* buffer
    if size == 0:
        return text
    buffer = <Py_UCS4*> malloc(size * sizeof(Py_UCS4))
    if buffer == NULL:
        raise MemoryError()
    try:
        for at in range(size):
            c = PyUnicode_READ(kind, data, at)
            if c == 10:  # a line ends: its trailing space is dropped
                buffer[out] = 10
                out += 1
                space = word = False
                continue
            if Py_UNICODE_ISSPACE(c):
                space = word
                continue
            if space:
                buffer[out] = 32
                out += 1
                space = False
            buffer[out] = c
            out += 1
            word = True
        at = 0  # (the empty lines at both ends: only newlines are left there)
        while at < out and buffer[at] == 10:
            at += 1
        while out > at and buffer[out - 1] == 10:
            out -= 1
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buffer + at, out - at)
    finally:
        free(buffer)


def escape(str text, str special):
    """``text`` with a backslash before each character of ``special`` (ASCII); ``text``
    itself when it holds none."""
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t size = PyUnicode_GET_LENGTH(text), at, out = 0, found = 0
    cdef bint marked[128]
    cdef Py_UCS4 c
    cdef Py_UCS4* buffer
    memset(marked, 0, sizeof(marked))
    for c in special:
        if c >= 128:
            raise ValueError("ASCII special characters only")
        marked[c] = True
    for at in range(size):
        c = PyUnicode_READ(kind, data, at)
        if c < 128 and marked[c]:
            found += 1
    if not found:
        return text
    buffer = <Py_UCS4*> malloc((size + found) * sizeof(Py_UCS4))
    if buffer == NULL:
        raise MemoryError()
    try:
        for at in range(size):
            c = PyUnicode_READ(kind, data, at)
            if c < 128 and marked[c]:
                buffer[out] = 92
                out += 1
            buffer[out] = c
            out += 1
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buffer, out)
    finally:
        free(buffer)
