"""Auto-coding: source documents → suggested coded items with verbatim evidence.

Stages, one module each: ``clean`` (find the article body, keep offsets) → ``nlp`` (Kiwi
sentences and tokens, loaded lazily) → ``places`` (which city a sentence is about) →
``rules`` (coding rules as data) → ``extract`` (apply rules to sentences) → ``autocode``
(per case, with attribution and de-duplication) → ``merge`` (into the coding sheets, never
touching a reviewer's rows).  Nothing here is imported by the report build.
"""
