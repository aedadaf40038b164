#!/usr/bin/python3
"""Size or delete everything under a key prefix of the benchmark's S3 bucket (Debian's python3-boto3).

    s3-prefix.py size PREFIX     -> prints "OBJECTS BYTES"
    s3-prefix.py delete PREFIX   -> deletes every object and aborts every multipart upload under PREFIX

Reads S3_ENDPOINT S3_ACCESS_KEY S3_SECRET_KEY S3_BUCKET S3_REGION (what start-s3.sh prints).
"""
import os
import sys

import boto3
from botocore.config import Config

action, prefix = sys.argv[1], sys.argv[2].strip("/") + "/"
if prefix in ("/", ""):
    sys.exit("refusing an empty prefix")
e = os.environ
s3 = boto3.client("s3", endpoint_url=e["S3_ENDPOINT"], region_name=e.get("S3_REGION", "us-east-1"),
                  aws_access_key_id=e["S3_ACCESS_KEY"], aws_secret_access_key=e["S3_SECRET_KEY"],
                  config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
bucket = e["S3_BUCKET"]
objects, size, keys = 0, 0, []
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
    for item in page.get("Contents", []):
        objects += 1
        size += item["Size"]
        keys.append(item["Key"])
if action == "size":
    print(objects, size)
elif action == "delete":
    for i in range(0, len(keys), 500):
        # Swift's s3api wants Content-MD5 on DeleteObjects; boto3 1.26 sends it.
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys[i:i + 500]], "Quiet": True})
    for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=bucket, Prefix=prefix):
        for upload in page.get("Uploads", []):
            s3.abort_multipart_upload(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])
else:
    sys.exit("usage: s3-prefix.py size|delete PREFIX")
