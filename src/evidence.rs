//! The input: named byte blobs, nothing else.

/// One file: the name it was given (a path as typed, or a browser file name) and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blob {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Blob {
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Blob {
        Blob { name: name.into(), bytes: bytes.into() }
    }
}

/// A bundle of evidence verified together: links are found between its files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    pub blobs: Vec<Blob>,
}

impl Evidence {
    pub fn new(blobs: Vec<Blob>) -> Evidence {
        Evidence { blobs }
    }
}
