-- CreateTable
CREATE TABLE "CreditPoolAlert" (
    "id" TEXT NOT NULL,
    "poolId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "forecastExhaustedOn" DATE,
    "firedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditPoolAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CreditPoolAlert_poolId_kind_key" ON "CreditPoolAlert"("poolId", "kind");

-- AddForeignKey
ALTER TABLE "CreditPoolAlert" ADD CONSTRAINT "CreditPoolAlert_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "CreditPool"("id") ON DELETE CASCADE ON UPDATE CASCADE;
