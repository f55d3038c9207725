"""Public notices (公示) as a core capability: a notice about any object, run by a union for a number of
working days, objections filed against it (real name and mobile phone, the phone masked and revealed with
an audit row), and the staged review (township, then district) that leads up to a notice.

Awards publishes its slate of candidates through it; hardship assistance and labour ratings use it next.
The core knows nothing of those apps: a notice points at its subject with a generic key, an objection at
the item of the notice it is about (a candidate of the slate), a review step at the object reviewed."""
